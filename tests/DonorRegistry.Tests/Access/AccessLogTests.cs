using DonorRegistry.Access;
using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.Reporting;
using DonorRegistry.Search;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Access;

public sealed class AccessLogTests
{
    private static readonly Actor Admin = Actor.For("admin.liu", Role.Administrator);
    private static readonly Actor Lab = Actor.For("lab.zhao", Role.Lab);
    private static readonly Actor Coordinator = Actor.For("coordinator.li", Role.Coordinator);
    private RegistryFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    [Test]
    public void ADeniedVerb_StoresNothing_AndWritesOneAccessRecord()
    {
        var donor = _fx.DonorIn(DonorState.Available);
        var trail = _fx.Donors.GetHistory(donor.Id);

        var defer = () => _fx.Donors.Defer(donor.Id, _fx.Today.AddDays(30), "出差", Lab);

        defer.Should().Throw<AccessDeniedException>();
        _fx.Donors.Get(donor.Id).Should().BeEquivalentTo(donor);
        _fx.Donors.GetHistory(donor.Id).Should().Equal(trail);
        _fx.Registry.Access.ForRecord(AggregateKind.Donor, donor.Id.ToString(), Admin).Should().ContainSingle().Which.Should().Match<AccessRecord>(r =>
            r.Actor == "lab.zhao" && r.Roles.SequenceEqual(new[] { Role.Lab }) && !r.IsHost && r.Action == RegistryAction.Defer
            && r.Kind == AggregateKind.Donor && r.Id == donor.Id.ToString() && r.Outcome == AccessOutcome.Denied && r.At == _fx.Clock.GetUtcNow());
    }

    [Test]
    public void TheRefusal_NamesTheActorTheirRolesTheActionAndTheRolesThatWouldAllowIt()
    {
        var donor = _fx.DonorIn(DonorState.Available);

        var remove = () => _fx.Donors.Remove(donor.Id, RemovalReason.Moved, null, Actor.For("coordinator.li", Role.Coordinator, Role.Viewer));

        var denied = remove.Should().Throw<AccessDeniedException>().Which;
        denied.Message.Should().Be("'coordinator.li' (Coordinator, Viewer) may not RemoveDonor: the actor's roles (Coordinator, Viewer) do not allow it; it needs the role Administrator.");
        denied.ActorName.Should().Be("coordinator.li");
        denied.Action.Should().Be(RegistryAction.RemoveDonor);
        denied.AllowedRoles.Should().Equal(Role.Administrator);
        denied.Should().BeAssignableTo<DonorRegistryException>();
    }

    [Test]
    public void ARoleThatMayTakeTheVerb_TakesIt_AndTheAuditTrailNamesThePerson()
    {
        var donor = _fx.DonorIn(DonorState.Available);

        var deferred = _fx.Donors.Defer(donor.Id, _fx.Today.AddDays(30), "出差", Coordinator);

        deferred.State.Should().Be(DonorState.TemporarilyUnavailable);
        _fx.Donors.GetHistory(donor.Id)[^1].Actor.Should().Be("coordinator.li");
        _fx.Registry.Access.ForRecord(AggregateKind.Donor, donor.Id.ToString(), Admin).Should().BeEmpty("allowed changes are in the audit trail, not the access log");
    }

    [Test]
    public void RequireRoles_RefusesAHostActor_AndTakesAPersonWithTheRole()
    {
        using var fx = new RegistryFixture(inMemory: true, configure: o => o.RequireRoles = true);
        var request = fx.Volunteers.Next(fx.Today);

        var asHost = () => fx.Donors.Enrol(request, "organizer.wang");
        var searchAsHost = () => fx.Registry.Search.Find(new SearchRequest(HlaTyping.FromLoci(DonorRegistry.FakeData.Volunteers.Typing(fx.Today).Loci)));

        asHost.Should().Throw<AccessDeniedException>().Which.Message.Should().Contain("RequireRoles").And.Contain("'organizer.wang' (host)");
        searchAsHost.Should().Throw<AccessDeniedException>().Which.Action.Should().Be(RegistryAction.Search);
        fx.Donors.Count().Should().Be(0);
        fx.Donors.Enrol(request, Actor.For("organizer.wang", Role.Organizer)).State.Should().Be(DonorState.Enrolled);
        fx.Registry.Access.History(new AccessQuery(), Admin).Select(r => (r.Actor, r.IsHost, r.Action, r.Outcome)).Should().Equal(
            ("host", true, RegistryAction.Search, AccessOutcome.Denied),
            ("organizer.wang", true, RegistryAction.Enrol, AccessOutcome.Denied));
    }

    [Test]
    public void TheReadVerbsThatRevealData_CheckTheirActions()
    {
        var patient = HlaTyping.FromLoci(DonorRegistry.FakeData.Volunteers.Typing(_fx.Today).Loci);

        var labSearch = () => _fx.Registry.Search.Find(new SearchRequest(patient), Lab);
        var labReport = () => _fx.Registry.Reports.Build(ReportPeriod.Year(2026), by: Lab);

        labSearch.Should().Throw<AccessDeniedException>().Which.Action.Should().Be(RegistryAction.Search);
        labReport.Should().Throw<AccessDeniedException>().Which.Action.Should().Be(RegistryAction.ReadReports);
        _fx.Registry.Search.Find(new SearchRequest(patient), Coordinator).Should().NotBeNull();
        _fx.Registry.Reports.Build(ReportPeriod.Year(2026), by: Actor.For("viewer.zhou", Role.Viewer)).Should().NotBeNull();
        _fx.Registry.Reports.CompareDrives(ReportPeriod.Year(2026), Actor.For("viewer.zhou", Role.Viewer)).Should().BeEmpty();
    }

    [Test]
    public void TheAccessLog_IsReadNewestFirst_ByActor_ByRecord_AndByPeriod()
    {
        var donor = _fx.DonorIn(DonorState.Available);
        var other = _fx.DonorIn(DonorState.Available);
        var first = _fx.Clock.GetUtcNow();
        Try(() => _fx.Donors.Defer(donor.Id, _fx.Today.AddDays(9), "出差", Lab));
        _fx.Clock.Advance(TimeSpan.FromMinutes(5));
        Try(() => _fx.Donors.Remove(other.Id, RemovalReason.Moved, null, Coordinator));
        _fx.Clock.Advance(TimeSpan.FromMinutes(5));
        Try(() => _fx.Donors.Reactivate(donor.Id, Lab));
        var access = _fx.Registry.Access;

        access.History(new AccessQuery(), Admin).Select(r => r.Action).Should().Equal(RegistryAction.ReactivateDonor, RegistryAction.RemoveDonor, RegistryAction.Defer);
        access.History(new AccessQuery(Actor: "lab.zhao"), Admin).Select(r => r.Action).Should().Equal(RegistryAction.ReactivateDonor, RegistryAction.Defer);
        access.ForRecord(AggregateKind.Donor, donor.Id.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), Admin).Should().HaveCount(2);
        access.History(new AccessQuery(From: first.AddMinutes(1), Until: first.AddMinutes(6)), Admin).Should().ContainSingle().Which.Actor.Should().Be("coordinator.li");
        access.History(new AccessQuery(Limit: 1), Admin).Should().ContainSingle().Which.Action.Should().Be(RegistryAction.ReactivateDonor);
    }

    [Test]
    public void ReadingTheAccessLog_NeedsAnAdministrator_AndARefusalIsLoggedToo()
    {
        var read = () => _fx.Registry.Access.History(new AccessQuery(), Coordinator);

        read.Should().Throw<AccessDeniedException>().Which.Action.Should().Be(RegistryAction.ReadAccessLog);
        _fx.Registry.Access.History(new AccessQuery(), Admin).Should().ContainSingle().Which.Action.Should().Be(RegistryAction.ReadAccessLog);
    }

    [Test]
    public void AQuery_IsChecked()
    {
        var access = _fx.Registry.Access;

        FluentActions.Invoking(() => access.History(new AccessQuery(Limit: 0), Admin)).Should().Throw<RegistryValidationException>().Which.Field.Should().Be("limit");
        FluentActions.Invoking(() => access.History(new AccessQuery(Kind: AggregateKind.Donor), Admin)).Should().Throw<RegistryValidationException>().Which.Field.Should().Be("Id");
        FluentActions.Invoking(() => access.History(new AccessQuery(From: RegistryFixture.Start, Until: RegistryFixture.Start.AddDays(-1)), Admin)).Should().Throw<RegistryValidationException>().Which.Field.Should().Be("From");
        FluentActions.Invoking(() => access.ForRecord(AggregateKind.Donor, " ", Admin)).Should().Throw<RegistryValidationException>().Which.Field.Should().Be("id");
    }

    [Test]
    public void ARefusalNamingAnIdNoRecordCanHave_IsLoggedWithTheIdEscaped_AndTheLogStaysReadable()
    {
        var odd = "DON-\uDFFF\u0007" + new string('9', 100);

        var act = () => _fx.Registry.Care.MarkUnreachable(odd, "电话不通", Lab);

        act.Should().Throw<AccessDeniedException>();
        _fx.Reopen();
        var entry = _fx.Registry.Access.History(new AccessQuery(), Admin).Should().ContainSingle().Which;
        entry.Id.Should().StartWith("DON-").And.EndWith("…").And.NotContain("\uDFFF");
        entry.Id!.Length.Should().BeLessThan(80);
        FluentActions.Invoking(() => _fx.Registry.Access.ForRecord(AggregateKind.Donation, odd, Admin)).Should().Throw<RegistryValidationException>().Which.Field.Should().Be("Id");
    }

    [Test]
    public void ADeniedAttempt_IsKeptAcrossACleanClose()
    {
        var donor = _fx.DonorIn(DonorState.Available);
        Try(() => _fx.Donors.Defer(donor.Id, _fx.Today.AddDays(9), "出差", Lab));

        _fx.Reopen();

        _fx.Registry.Access.ForRecord(AggregateKind.Donor, donor.Id.ToString(), Admin).Should().ContainSingle().Which.Outcome.Should().Be(AccessOutcome.Denied);
    }

    [Test]
    public void AccessEntries_LeaveTheAuditTrailsWhole_AndTheFileVerifies()
    {
        var donor = _fx.DonorIn(DonorState.Available);
        Try(() => _fx.Donors.Defer(donor.Id, _fx.Today.AddDays(9), "出差", Lab));
        _fx.Donors.GetPersonalData(donor.Id, Lab, "check the tube label");

        _fx.Donors.GetHistory(donor.Id).Select(r => r.Version).Should().Equal(Enumerable.Range(1, donor.Version));
        _fx.Registry.Verify().Problems.Should().BeEmpty();
    }

    private static void Try(Action act)
    {
        try
        {
            act();
        }
        catch (AccessDeniedException)
        {
        }
    }
}
