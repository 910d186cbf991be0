using BranchPortal.Accounts;
using DonorRegistry;
using DonorRegistry.Access;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace BranchPortal.Tests.Units;

public sealed class AccountTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero));

    private TempRegistry _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempRegistry(_clock, o =>
    {
        o.MaxFailedSignIns = PortalApp.MaxFailedSignIns;
        o.LockoutDuration = PortalApp.LockoutDuration;
    });

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private (RegistryAccountStore Store, PortalSignIn SignIn) Portal(bool withOrganizer = true)
    {
        var store = new RegistryAccountStore(_temp.Registry);
        if (withOrganizer)
        {
            store.Add("organizer.wang", "王芳", [PortalRole.Organizer], PortalSignIn.Hash("right-password"));
        }

        return (store, new PortalSignIn(store, _clock));
    }

    [Test]
    public void TheRightPassword_SignsIn_WithTheAccountsRolesAsClaims()
    {
        var (_, signIn) = Portal();

        var (outcome, user) = signIn.Check("ORGANIZER.wang", "right-password");

        outcome.Should().Be(SignInOutcome.Succeeded);
        user!.Identity!.Name.Should().Be("organizer.wang");
        user.IsInRole("Organizer").Should().BeTrue();
        user.IsInRole("Lab").Should().BeFalse();
    }

    [Test]
    public void TheStore_KeepsOnlyAHash_NeverThePassword()
    {
        var (store, _) = Portal();

        store.Find("organizer.wang")!.PasswordHash.Should().NotContain("right-password").And.HaveLength(84, "Identity's v3 format: 61 bytes in base64");
    }

    [Test]
    public void FiveWrongPasswordsInARow_LockTheAccount_ForFifteenMinutes_EvenAgainstTheRightOne()
    {
        var (store, signIn) = Portal();

        var outcomes = Enumerable.Range(1, 5).Select(i => signIn.Check("organizer.wang", "wrong-" + i).Outcome).ToList();

        outcomes.Should().Equal(SignInOutcome.Failed, SignInOutcome.Failed, SignInOutcome.Failed, SignInOutcome.Failed, SignInOutcome.LockedOut);
        signIn.Check("organizer.wang", "right-password").Outcome.Should().Be(SignInOutcome.LockedOut);
        store.Find("organizer.wang")!.LockedUntil.Should().Be(_clock.GetUtcNow() + TimeSpan.FromMinutes(15));

        _clock.Advance(TimeSpan.FromMinutes(15));

        signIn.Check("organizer.wang", "right-password").Outcome.Should().Be(SignInOutcome.Succeeded);
        store.Find("organizer.wang")!.FailedSignIns.Should().Be(0);
    }

    [Test]
    public void AfterTheLockEnds_OneWrongPassword_DoesNotLockAgain()
    {
        var (_, signIn) = Portal();
        for (var i = 0; i < 5; i++)
        {
            signIn.Check("organizer.wang", "wrong");
        }

        _clock.Advance(TimeSpan.FromMinutes(15));

        signIn.Check("organizer.wang", "wrong").Outcome.Should().Be(SignInOutcome.Failed);
        signIn.Check("organizer.wang", "right-password").Outcome.Should().Be(SignInOutcome.Succeeded);
    }

    [Test]
    public void AGoodSignIn_StartsTheCountOfWrongPasswordsAgain()
    {
        var (_, signIn) = Portal();
        for (var i = 0; i < 4; i++)
        {
            signIn.Check("organizer.wang", "wrong");
        }

        signIn.Check("organizer.wang", "right-password").Outcome.Should().Be(SignInOutcome.Succeeded);

        signIn.Check("organizer.wang", "wrong").Outcome.Should().Be(SignInOutcome.Failed, "one wrong password after a good sign-in is the first of five");
    }

    [Test]
    public void AnUnknownUser_AndADisabledAccount_GetTheSameAnswerAsAWrongPassword()
    {
        var (store, signIn) = Portal();

        signIn.Check("nobody", "right-password").Outcome.Should().Be(SignInOutcome.Failed);
        signIn.Check(null, null).Outcome.Should().Be(SignInOutcome.Failed);
        store.FindAll().Should().ContainSingle();
    }

    [Test]
    public void TheFirstAdministrator_IsAddedOnlyToARegistryWithoutUsers()
    {
        var (store, _) = Portal(withOrganizer: false);
        store.AddFirstAdministrator("admin", "管理员", PortalSignIn.Hash("x"));

        var again = () => store.AddFirstAdministrator("admin2", "管理员", PortalSignIn.Hash("x"));

        again.Should().Throw<UserAccountException>().WithMessage("*has users already*");
        store.Find("admin")!.Roles.Should().Equal(PortalRole.Administrator);
    }

    [Test]
    public void AnAccountName_IsTakenOnce_WithoutRegardToCase()
    {
        var (store, _) = Portal();

        var again = () => store.Add("Organizer.Wang", "王芳", [PortalRole.Viewer], PortalSignIn.Hash("x"));

        again.Should().Throw<DuplicateUserException>();
    }

    [Test]
    public void Accounts_AreKeptInTheRegistry_AndOutliveTheStore()
    {
        Portal();

        var reopened = new RegistryAccountStore(_temp.Registry);

        reopened.Find("organizer.wang")!.Roles.Should().Equal(PortalRole.Organizer);
        _temp.Registry.Users.Get("organizer.wang").Roles.Should().Equal(Role.Organizer);
        RegistryAccountStore.ToActor(reopened.Find("organizer.wang")!).Holds(Role.Organizer).Should().BeTrue();
    }

    [Test]
    public void ANameNoAccountCanHave_IsNotFound_RatherThanRefused()
    {
        var (store, signIn) = Portal();

        store.Find(new string('x', 300)).Should().BeNull();
        signIn.Check("bad name with spaces", "x").Outcome.Should().Be(SignInOutcome.Failed);
    }
}
