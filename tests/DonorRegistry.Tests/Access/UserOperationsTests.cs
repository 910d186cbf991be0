using DonorRegistry.Access;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Access;

public sealed class UserOperationsTests
{
    private const string Hash = "AQAAAAIAAYagAAAAEKx+secret+hash+value==";
    private static readonly Actor Admin = Actor.For("admin.liu", Role.Administrator);
    private RegistryFixture _fx = null!;

    private UserOperations Users => _fx.Registry.Users;

    [SetUp]
    public void SetUp()
    {
        _fx = new RegistryFixture();
        Users.AddFirstAdministrator("admin.liu", "刘管理", "AQAAAAIAAYagAAAAEadmin==");
    }

    [TearDown]
    public void TearDown() => _fx.Dispose();

    [Test]
    public void Add_StoresTheAccount_FoundByNameInAnyCase_AndListed()
    {
        var added = Users.Add("Wang.Fang", "王芳", [Role.Coordinator, Role.Organizer, Role.Coordinator], Hash, Admin);

        added.Should().Be(new UserAccount("wang.fang", "王芳", [Role.Organizer, Role.Coordinator], Hash, 0, null, false, 1));
        Users.Find("WANG.FANG").Should().Be(added);
        Users.Get("wang.fang").Should().Be(added);
        Users.List().Select(u => u.UserName).Should().Equal("admin.liu", "wang.fang");
        Users.Find("nobody").Should().BeNull();
        Users.Find("not a name").Should().BeNull();
        added.ToActor().Should().Match<Actor>(a => a.Name == "wang.fang" && !a.IsHost && a.Roles.SetEquals(new[] { Role.Organizer, Role.Coordinator }));
    }

    [Test]
    public void ATakenName_IsRefused_WithoutCase()
    {
        Users.Add("wang.fang", "王芳", [Role.Lab], Hash, Admin);

        var again = () => Users.Add("WANG.fang", "王芳二", [Role.Lab], Hash, Admin);

        again.Should().Throw<DuplicateUserException>().Which.UserName.Should().Be("wang.fang");
        Users.List().Should().HaveCount(2);
    }

    [TestCase("")]
    [TestCase("wang fang")]
    [TestCase("wang:fang")]
    [TestCase("王/芳")]
    public void AUserNameOutsideTheRule_IsRefused(string name) =>
        FluentActions.Invoking(() => Users.Add(name, "王芳", [Role.Lab], Hash, Admin)).Should().Throw<RegistryValidationException>().Which.Field.Should().Be("userName");

    [Test]
    public void AUserNameOf64Characters_IsTaken_And65Refused()
    {
        Users.Add(new string('a', 64), "A", [Role.Lab], Hash, Admin).UserName.Should().HaveLength(64);
        FluentActions.Invoking(() => Users.Add(new string('b', 65), "B", [Role.Lab], Hash, Admin)).Should().Throw<RegistryValidationException>();
        Users.Add("王芳@chaoyang.org", "王芳", [Role.Lab], Hash, Admin).UserName.Should().Be("王芳@chaoyang.org");
    }

    [Test]
    public void UserAdministration_NeedsAnAdministrator_AndStoresNothingWhenRefused()
    {
        var coordinator = Actor.For("coordinator.li", Role.Coordinator);

        var add = () => Users.Add("wang.fang", "王芳", [Role.Lab], Hash, coordinator);
        var roles = () => Users.SetRoles("admin.liu", [Role.Viewer], coordinator);

        add.Should().Throw<AccessDeniedException>().Which.Action.Should().Be(RegistryAction.AddUser);
        roles.Should().Throw<AccessDeniedException>().Which.Action.Should().Be(RegistryAction.SetUserRoles);
        Users.List().Should().ContainSingle();
        Users.Get("admin.liu").Version.Should().Be(1);
        _fx.Registry.Access.History(new AccessQuery(Actor: "coordinator.li"), Admin).Select(r => r.Action).Should().Equal(RegistryAction.SetUserRoles, RegistryAction.AddUser);
    }

    [Test]
    public void TheFirstAdministrator_IsAddedOnlyToARegistryWithoutUsers()
    {
        using var fx = new RegistryFixture(inMemory: true);

        var first = fx.Registry.Users.AddFirstAdministrator("root", "管理员", Hash);
        var second = () => fx.Registry.Users.AddFirstAdministrator("other", "另一个", Hash);

        first.Roles.Should().Equal(Role.Administrator);
        second.Should().Throw<UserAccountException>().Which.Message.Should().Contain("has users already").And.Contain("Users.Add");
        fx.Registry.Users.List().Should().ContainSingle();
        fx.Registry.Users.GetHistory("root").Should().ContainSingle().Which.Action.Should().Be("AddFirstAdministrator");
    }

    [Test]
    public void FiveFailedSignIns_LockTheAccountForFifteenMinutes_AndThenItOpensAgain()
    {
        Users.Add("lab.zhao", "赵", [Role.Lab], Hash, Admin);

        for (var i = 1; i <= 4; i++)
        {
            Users.RecordFailedSignIn("lab.zhao").Should().Match<UserAccount>(u => u.FailedSignIns == i && u.LockedUntil == null);
        }

        var locked = Users.RecordFailedSignIn("LAB.ZHAO");
        locked.FailedSignIns.Should().Be(5);
        locked.LockedUntil.Should().Be(_fx.Clock.GetUtcNow().AddMinutes(15));
        locked.IsLockedOut(_fx.Clock.GetUtcNow()).Should().BeTrue();
        Users.RecordFailedSignIn("lab.zhao").Version.Should().Be(locked.Version, "a failure while locked out stores nothing");
        FluentActions.Invoking(() => Users.RecordSignIn("lab.zhao")).Should().Throw<UserAccountException>().Which.Message.Should().Contain("locked out until");

        _fx.Clock.Advance(TimeSpan.FromMinutes(15));

        locked.IsLockedOut(_fx.Clock.GetUtcNow()).Should().BeFalse();
        Users.RecordSignIn("lab.zhao").Should().Match<UserAccount>(u => u.FailedSignIns == 0 && u.LockedUntil == null);
    }

    [Test]
    public void ASuccessfulSignIn_ResetsTheCount_AndAFailureAfterALockoutCountsFromOne()
    {
        using var fx = new RegistryFixture(inMemory: true, configure: o =>
        {
            o.MaxFailedSignIns = 2;
            o.LockoutDuration = TimeSpan.FromMinutes(1);
        });
        var users = fx.Registry.Users;
        users.AddFirstAdministrator("root", "管理员", Hash);

        users.RecordFailedSignIn("root");
        users.RecordSignIn("root").FailedSignIns.Should().Be(0);
        users.RecordFailedSignIn("root");
        users.RecordFailedSignIn("root").IsLockedOut(fx.Clock.GetUtcNow()).Should().BeTrue();
        fx.Clock.Advance(TimeSpan.FromMinutes(2));

        users.RecordFailedSignIn("root").Should().Match<UserAccount>(u => u.FailedSignIns == 1 && u.LockedUntil == null);
        users.RecordSignIn("root").Version.Should().Be(users.GetHistory("root").Count);
    }

    [Test]
    public void APasswordReset_ReplacesTheHash_AndEndsTheLockout()
    {
        Users.Add("lab.zhao", "赵", [Role.Lab], Hash, Admin);
        for (var i = 0; i < 5; i++)
        {
            Users.RecordFailedSignIn("lab.zhao");
        }

        var reset = Users.SetPasswordHash("lab.zhao", "AQAAAAIAAYagAAAAEnew==", Admin);

        reset.Should().Match<UserAccount>(u => u.PasswordHash == "AQAAAAIAAYagAAAAEnew==" && u.FailedSignIns == 0 && u.LockedUntil == null);
        Users.RecordSignIn("lab.zhao").Version.Should().Be(reset.Version);
    }

    [Test]
    public void ADisabledUser_CannotSignIn_UntilEnabled()
    {
        Users.Add("lab.zhao", "赵", [Role.Lab], Hash, Admin);

        Users.Disable("lab.zhao", Admin).Disabled.Should().BeTrue();
        FluentActions.Invoking(() => Users.RecordSignIn("lab.zhao")).Should().Throw<UserAccountException>().Which.Message.Should().Contain("disabled");
        FluentActions.Invoking(() => Users.Disable("lab.zhao", Admin)).Should().Throw<UserAccountException>();

        Users.Enable("lab.zhao", Admin).Disabled.Should().BeFalse();
        Users.RecordSignIn("lab.zhao").Disabled.Should().BeFalse();
    }

    [Test]
    public void TheLastEnabledAdministrator_KeepsTheRole_AndCannotBeDisabled()
    {
        FluentActions.Invoking(() => Users.SetRoles("admin.liu", [Role.Viewer], Admin)).Should().Throw<UserAccountException>().Which.Message.Should().Contain("last enabled administrator");
        FluentActions.Invoking(() => Users.Disable("admin.liu", Admin)).Should().Throw<UserAccountException>();
        Users.Get("admin.liu").Should().Match<UserAccount>(u => u.Version == 1 && !u.Disabled);

        Users.Add("admin.wu", "吴", [Role.Administrator], Hash, Admin);
        Users.SetRoles("admin.liu", [Role.Viewer], Admin).Roles.Should().Equal(Role.Viewer);
    }

    [Test]
    public void SetRoles_ChecksTheVersion()
    {
        var user = Users.Add("lab.zhao", "赵", [Role.Lab], Hash, Admin);
        Users.SetRoles("lab.zhao", [Role.Lab, Role.Viewer], Admin, user.Version);

        var stale = () => Users.SetRoles("lab.zhao", [Role.Viewer], Admin, user.Version);

        stale.Should().Throw<ConcurrentUpdateException>();
    }

    [Test]
    public void ThePasswordHash_IsInNoLineNoAuditRecordAndNoMessage()
    {
        var user = Users.Add("lab.zhao", "赵", [Role.Lab], Hash, Admin);
        Users.SetPasswordHash("lab.zhao", Hash + "2", Admin);
        Users.RecordFailedSignIn("lab.zhao");
        var errors = new List<string>
        {
            Capture(() => Users.Add("lab.zhao", "赵", [Role.Lab], Hash, Admin)),
            Capture(() => Users.Add("x", "x", [Role.Lab], Hash + "\n", Admin)),
            Capture(() => Users.SetPasswordHash("nobody", Hash, Admin)),
            Capture(() => Users.Add("y", "y", [Role.Lab], Hash, Actor.For("lab.zhao", Role.Lab))),
        };

        user.ToString().Should().Be("lab.zhao (赵): Lab").And.NotContain("secret");
        Users.GetHistory("lab.zhao").Should().NotContain(r => r.ToString().Contains("secret"));
        errors.Should().NotContain(m => m.Contains("secret")).And.HaveCount(4);
    }

    [Test]
    public void Accounts_HaveAWholeAuditTrail_AndTheRegistryVerifies()
    {
        Users.Add("lab.zhao", "赵", [Role.Lab], Hash, Admin);
        Users.RecordFailedSignIn("lab.zhao");
        Users.SetRoles("lab.zhao", [Role.Lab, Role.Viewer], Admin);
        Users.Disable("lab.zhao", Admin);

        Users.GetHistory("lab.zhao").Select(r => (r.Version, r.Action, r.Actor)).Should().Equal(
            (1, "Add", "admin.liu"), (2, "FailedSignIn", "sign-in"), (3, "SetRoles", "admin.liu"), (4, "Disable", "admin.liu"));
        _fx.Registry.GetHistory(AggregateKind.User, "lab.zhao").Should().HaveCount(4);
        _fx.Reopen();
        _fx.Registry.Users.Get("lab.zhao").Should().Match<UserAccount>(u => u.Disabled && u.Version == 4 && u.FailedSignIns == 1);
        _fx.Registry.Verify().Problems.Should().BeEmpty();
    }

    private static string Capture(Action act)
    {
        try
        {
            act();
            return "no exception";
        }
        catch (DonorRegistryException e)
        {
            return e.Message;
        }
    }
}
