using DonorRegistry.Access;
using DonorRegistry.Donors;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Access;

public sealed class PersonalDataReadTests
{
    private static readonly Actor Admin = Actor.For("admin.liu", Role.Administrator);
    private RegistryFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    [TestCase(Role.Organizer)]
    [TestCase(Role.Coordinator)]
    [TestCase(Role.Administrator)]
    public void ARoleThatMayRead_GetsTheDataWhole_AndTheReadIsLogged(Role role)
    {
        var request = _fx.Volunteers.Next(_fx.Today);
        var donor = _fx.Donors.Enrol(request, "organizer.wang");

        var personal = _fx.Donors.GetPersonalData(donor.Id, Actor.For("reader", role), "confirm the phone before the work-up");

        personal.Should().Be(request.Personal);
        _fx.Registry.Access.ForRecord(AggregateKind.Donor, donor.Id.ToString(), Admin).Should().ContainSingle().Which.Should().Match<AccessRecord>(r =>
            r.Actor == "reader" && r.Action == RegistryAction.ReadPersonalData && r.Outcome == AccessOutcome.Allowed && r.Reason == "confirm the phone before the work-up");
    }

    [TestCase(Role.Lab)]
    [TestCase(Role.Viewer)]
    public void ARoleThatMayNotRead_GetsTheDataMasked_AndTheReadIsLoggedAsMasked(Role role)
    {
        var request = _fx.Volunteers.Next(_fx.Today);
        var donor = _fx.Donors.Enrol(request, "organizer.wang");

        var personal = _fx.Donors.GetPersonalData(donor.Id, Actor.For("reader", role), "check the tube label");

        personal.Should().Be(PersonalDataMask.Apply(request.Personal));
        personal.NationalId.Should().Be(request.Personal.NationalId[..3] + new string('*', 11) + request.Personal.NationalId[^4..]);
        _fx.Registry.Access.ForRecord(AggregateKind.Donor, donor.Id.ToString(), Admin).Should().ContainSingle().Which.Outcome.Should().Be(AccessOutcome.Masked);
    }

    [Test]
    public void APersonalDataRead_IsOnTheDiskWhenTheDataIsReturned()
    {
        var donor = _fx.Enrol();
        _fx.Donors.GetPersonalData(donor.Id, Actor.For("coordinator.li", Role.Coordinator), "call about the work-up");

        _fx.Reopen();

        _fx.Registry.Access.History(new AccessQuery(Actor: "coordinator.li"), Admin).Should().ContainSingle().Which.Id.Should().Be(donor.Id.ToString());
    }

    [Test]
    public void UnderRequireRoles_AHostActorReadsNothing_AndTheRefusalIsLogged()
    {
        using var fx = new RegistryFixture(inMemory: true, configure: o => o.RequireRoles = true);
        var donor = fx.Donors.Enrol(fx.Volunteers.Next(fx.Today), Actor.For("organizer.wang", Role.Organizer));

        var read = () => fx.Donors.GetPersonalData(donor.Id, "web", "curious");

        read.Should().Throw<AccessDeniedException>();
        fx.Registry.Access.ForRecord(AggregateKind.Donor, donor.Id.ToString(), Admin).Should().ContainSingle().Which.Outcome.Should().Be(AccessOutcome.Denied);
    }

    [TestCase("")]
    [TestCase("  ")]
    public void AReadWithoutAReason_IsRefused_AndLogsNothing(string reason)
    {
        var donor = _fx.Enrol();

        var read = () => _fx.Donors.GetPersonalData(donor.Id, Actor.For("coordinator.li", Role.Coordinator), reason);

        read.Should().Throw<RegistryValidationException>().Which.Field.Should().Be("reason");
        _fx.Registry.Access.History(new AccessQuery(), Admin).Should().BeEmpty();
    }

    [Test]
    public void AReadOfAnUnknownDonor_LogsNothing()
    {
        var read = () => _fx.Donors.GetPersonalData(new DonorId(999), Actor.For("coordinator.li", Role.Coordinator), "look up");

        read.Should().Throw<DonorNotFoundException>();
        _fx.Registry.Access.History(new AccessQuery(), Admin).Should().BeEmpty();
    }
}
