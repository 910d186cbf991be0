using System.Security.Claims;
using BranchPortal.Security;
using DonorRegistry;
using DonorRegistry.Access;
using DonorRegistry.Donors;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace BranchPortal.Tests.Units;

/// <summary>
/// Masking for the lab role through the portal's one seam (<see cref="PersonalDataDisplay"/>). No lab page shows a
/// donor's person (they show donor numbers and barcodes), so this is checked here, at the unit level, on a registry of
/// its own: the masked name and ID number, and the read in the access log with the outcome Masked.
/// </summary>
public sealed class PersonalDataMaskingTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero));

    private TempRegistry _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempRegistry(_clock);

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static ClaimsPrincipal SignedIn(string name, params string[] roles)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name) };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    private Donor Enrol() => _temp.Registry.Donors.Enrol(
        new EnrolmentRequest(
            new DonorProfile(Sex.Male, new DateOnly(1990, 1, 5), AboGroup.A, RhD.Positive),
            new PersonalData("张三", "110105199001051234", "13812345678", "北京市朝阳区建国路 1 号", [])),
        Actor.For("organizer.wang", [Role.Organizer]));

    [Test]
    public void ALabUser_SeesTheDonorMasked_AndTheReadIsInTheAccessLogAsMasked()
    {
        var donor = Enrol();
        var display = new PersonalDataDisplay(_temp.Registry.Donors);

        var shown = display.Show(SignedIn("lab.chen", "Lab"), donor.Id);

        shown.Name.Should().Be("张*");
        shown.NationalId.Should().Be("110***********1234");
        shown.Erased.Should().BeFalse();
        var log = _temp.Registry.Access.History(new AccessQuery(Actor: "lab.chen"), Actor.For("admin.zhao", [Role.Administrator]));
        log.Should().ContainSingle();
        log[0].Outcome.Should().Be(AccessOutcome.Masked);
        log[0].Action.Should().Be(RegistryAction.ReadPersonalData);
        log[0].Kind.Should().Be(AggregateKind.Donor);
        log[0].Id.Should().Be(donor.Id.ToString());
        log[0].Reason.Should().Contain("shown on a page of the branch portal");
    }

    [Test]
    public void ACoordinator_SeesTheDonorWhole_AndTheReadIsLoggedAsAllowed()
    {
        var donor = Enrol();

        var shown = new PersonalDataDisplay(_temp.Registry.Donors).Show(SignedIn("coordinator.li", "Coordinator"), donor.Id);

        shown.Name.Should().Be("张三");
        shown.NationalId.Should().Be("110105199001051234");
        var log = _temp.Registry.Access.History(new AccessQuery(Actor: "coordinator.li"), Actor.For("admin.zhao", [Role.Administrator]));
        log.Should().ContainSingle().Which.Outcome.Should().Be(AccessOutcome.Allowed);
    }

    [Test]
    public void ANonAdministrator_IsRefusedTheAccessLog_AndTheRefusalIsInIt()
    {
        var lab = PortalActor.Of(SignedIn("lab.chen", "Lab"));

        var reading = () => _temp.Registry.Access.History(new AccessQuery(), lab);

        reading.Should().Throw<AccessDeniedException>();
        var log = _temp.Registry.Access.History(new AccessQuery(Actor: "lab.chen"), Actor.For("admin.zhao", [Role.Administrator]));
        log.Should().ContainSingle().Which.Outcome.Should().Be(AccessOutcome.Denied);
    }
}
