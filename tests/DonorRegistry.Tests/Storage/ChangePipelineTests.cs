using DonorRegistry.Care;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Hla;
using DonorRegistry.Reporting;
using DonorRegistry.Search;
using DonorRegistry.Samples;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage;

/// <summary>
/// The one write path, seen from the verbs: every verb that changes a record takes the version the caller saw,
/// refuses a stale one with the one concurrency exception, names an unknown id with its kind's not-found
/// exception, and in both cases stores nothing.
/// </summary>
public sealed class ChangePipelineTests
{
    private const string By = "coordinator.li";
    private RegistryFixture _fx = null!;

    private Registry Registry => _fx.Registry;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    /// <summary>A verb on one record: how to make the record, read its version, and call the verb with a version.</summary>
    internal sealed record Verb(string Name, AggregateKind Kind, Func<RegistryFixture, string> Arrange, Func<RegistryFixture, string, int> VersionOf, Action<RegistryFixture, string, int?> Act)
    {
        public override string ToString() => Name;
    }

    internal static IEnumerable<Verb> Verbs()
    {
        static int DonorVersion(RegistryFixture fx, string id) => fx.Donors.Get(DonorId.Parse(id)).Version;
        static int SampleVersion(RegistryFixture fx, string id) => fx.Registry.Samples.Get(id).Version;
        static int CaseVersion(RegistryFixture fx, string id) => fx.Registry.Cases.Get(new CaseReference(id)).Version;
        static int DriveVersion(RegistryFixture fx, string id) => fx.Registry.Drives.Get(new DriveId(id)).Version;
        static int DonationVersion(RegistryFixture fx, string id) => fx.Registry.Care.Get(id).Version;
        static int VolunteerVersion(RegistryFixture fx, string id) => fx.Registry.Care.GetVolunteerHonour(id).Version;
        static string Volunteer(RegistryFixture fx) => fx.Registry.Care.NameOutstandingVolunteer("王芳", null, "组织社区宣讲", fx.Today, By).Id;
        static string Donor(RegistryFixture fx, DonorState state) => fx.DonorIn(state).Id.ToString();
        static int UserVersion(RegistryFixture fx, string id) => fx.Registry.Users.Get(id).Version;
        static string User(RegistryFixture fx)
        {
            fx.Registry.Users.AddFirstAdministrator("root", "管理员", "hash-root");
            return fx.Registry.Users.Add("lab.zhao", "赵", [DonorRegistry.Access.Role.Lab], "hash-lab", By).UserName;
        }

        yield return new("Donors.ScreenOut", AggregateKind.Donor, fx => Donor(fx, DonorState.Enrolled), DonorVersion, (fx, id, v) => fx.Donors.ScreenOut(DonorId.Parse(id), "低血红蛋白", By, v));
        yield return new("Donors.Rescreen", AggregateKind.Donor, fx => Donor(fx, DonorState.Ineligible), DonorVersion, (fx, id, v) => fx.Donors.Rescreen(DonorId.Parse(id), By, v));
        yield return new("Donors.List", AggregateKind.Donor, fx => Donor(fx, DonorState.Typed), DonorVersion, (fx, id, v) => fx.Donors.List(DonorId.Parse(id), By, v));
        yield return new("Donors.Defer", AggregateKind.Donor, fx => Donor(fx, DonorState.Available), DonorVersion, (fx, id, v) => fx.Donors.Defer(DonorId.Parse(id), fx.Today.AddDays(30), "出国", By, v));
        yield return new("Donors.EndDeferral", AggregateKind.Donor, fx => Donor(fx, DonorState.TemporarilyUnavailable), DonorVersion, (fx, id, v) => fx.Donors.EndDeferral(DonorId.Parse(id), By, v));
        yield return new("Donors.Remove", AggregateKind.Donor, fx => Donor(fx, DonorState.Available), DonorVersion, (fx, id, v) => fx.Donors.Remove(DonorId.Parse(id), RemovalReason.Moved, null, By, v));
        yield return new("Donors.Reactivate", AggregateKind.Donor, fx => Donor(fx, DonorState.Removed), DonorVersion, (fx, id, v) => fx.Donors.Reactivate(DonorId.Parse(id), By, v));
        yield return new("Donors.Withdraw", AggregateKind.Donor, fx => Donor(fx, DonorState.Available), DonorVersion, (fx, id, v) => fx.Donors.Withdraw(DonorId.Parse(id), By, v));
        yield return new("Donors.UpdatePersonalData", AggregateKind.Donor, fx => Donor(fx, DonorState.Available), DonorVersion, (fx, id, v) =>
            fx.Donors.UpdatePersonalData(DonorId.Parse(id), fx.Donors.GetPersonalData(DonorId.Parse(id), "coordinator.li", "read back in a test") with { Phone = "13800000000" }, By, v));

        yield return new("Samples.Reject", AggregateKind.Sample, fx => Shipped(fx), SampleVersion, (fx, id, v) => fx.Registry.Samples.Reject(id, "haemolysed", By, v));
        yield return new("Samples.RecordTyping", AggregateKind.Sample, fx => Received(fx), SampleVersion, (fx, id, v) => fx.Registry.Samples.RecordTyping(id, FakeData.Volunteers.Typing(fx.Today), By, v));

        yield return new("Cases.ContactDonor", AggregateKind.Case, OpenCase, CaseVersion, (fx, id, v) => fx.Registry.Cases.ContactDonor(new CaseReference(id), By, v));
        yield return new("Cases.Cancel", AggregateKind.Case, OpenCase, CaseVersion, (fx, id, v) => fx.Registry.Cases.Cancel(new CaseReference(id), "patient status", By, v));
        yield return new("Cases.RecordDecline", AggregateKind.Case, fx =>
        {
            var id = OpenCase(fx);
            fx.Registry.Cases.ContactDonor(new CaseReference(id), By);
            return id;
        }, CaseVersion, (fx, id, v) => fx.Registry.Cases.RecordDecline(new CaseReference(id), "family", By, v));

        yield return new("Drives.OpenEnrolment", AggregateKind.Drive, PlanDrive, DriveVersion, (fx, id, v) => fx.Registry.Drives.OpenEnrolment(new DriveId(id), By, v));
        yield return new("Drives.Cancel", AggregateKind.Drive, PlanDrive, DriveVersion, (fx, id, v) => fx.Registry.Drives.Cancel(new DriveId(id), "雨天", By, v));
        yield return new("Drives.CloseEnrolment", AggregateKind.Drive, fx =>
        {
            var id = PlanDrive(fx);
            fx.Registry.Drives.OpenEnrolment(new DriveId(id), By);
            return id;
        }, DriveVersion, (fx, id, v) => fx.Registry.Drives.CloseEnrolment(new DriveId(id), By, v));

        yield return new("Care.RecordFollowUp", AggregateKind.Donation, Donation, DonationVersion, (fx, id, v) => fx.Registry.Care.RecordFollowUp(id, "D2", fx.Today, DonorHealth.Well, null, null, By, v));
        yield return new("Care.MarkUnreachable", AggregateKind.Donation, Donation, DonationVersion, (fx, id, v) => fx.Registry.Care.MarkUnreachable(id, "三次电话未接通", By, v));
        yield return new("Care.RecordVisit", AggregateKind.Donation, Donation, DonationVersion, (fx, id, v) =>
            fx.Registry.Care.RecordVisit(fx.Registry.Care.Get(id).Donor, fx.Registry.Care.Get(id).Visits[0].Key, fx.Today, "鲜花", null, By, v));
        yield return new("Care.SkipVisit", AggregateKind.Donation, Donation, DonationVersion, (fx, id, v) =>
            fx.Registry.Care.SkipVisit(fx.Registry.Care.Get(id).Donor, fx.Registry.Care.Get(id).Visits[0].Key, "住院", By, v));
        yield return new("Care.RecordVolunteerVisit", AggregateKind.Volunteer, Volunteer, VolunteerVersion, (fx, id, v) =>
            fx.Registry.Care.RecordVolunteerVisit(id, fx.Registry.Care.GetVolunteerHonour(id).Visits[0].Key, fx.Today, "鲜花", By, v));
        yield return new("Care.SkipVolunteerVisit", AggregateKind.Volunteer, Volunteer, VolunteerVersion, (fx, id, v) =>
            fx.Registry.Care.SkipVolunteerVisit(id, fx.Registry.Care.GetVolunteerHonour(id).Visits[0].Key, "志愿者在外地", By, v));

        yield return new("Users.SetRoles", AggregateKind.User, User, UserVersion, (fx, id, v) => fx.Registry.Users.SetRoles(id, [DonorRegistry.Access.Role.Viewer], By, v));
        yield return new("Users.SetPasswordHash", AggregateKind.User, User, UserVersion, (fx, id, v) => fx.Registry.Users.SetPasswordHash(id, "hash-new", By, v));
        yield return new("Users.Disable", AggregateKind.User, User, UserVersion, (fx, id, v) => fx.Registry.Users.Disable(id, By, v));
        yield return new("Users.Enable", AggregateKind.User, fx =>
        {
            var id = User(fx);
            fx.Registry.Users.Disable(id, By);
            return id;
        }, UserVersion, (fx, id, v) => fx.Registry.Users.Enable(id, By, v));
    }

    private static IEnumerable<string> VerbNames() => Verbs().Select(v => v.Name);

    private static Verb Named(string name) => Verbs().Single(v => v.Name == name);

    [TestCaseSource(nameof(VerbNames))]
    public void EveryVerb_WithAStaleVersion_IsRefusedAndStoresNothing(string name)
    {
        var verb = Named(name);
        var id = verb.Arrange(_fx);
        var version = verb.VersionOf(_fx, id);
        var history = Registry.GetHistory(verb.Kind, id);

        var act = () => verb.Act(_fx, id, version - 1);

        act.Should().Throw<ConcurrentUpdateException>()
            .Which.Should().Match<ConcurrentUpdateException>(e => e.Kind == verb.Kind && e.Id == id && e.ExpectedVersion == version - 1 && e.ActualVersion == version);
        verb.VersionOf(_fx, id).Should().Be(version);
        Registry.GetHistory(verb.Kind, id).Should().Equal(history);
    }

    [TestCaseSource(nameof(VerbNames))]
    public void EveryVerb_WithTheCurrentVersion_StoresOneMoreVersionAndAuditRecord(string name)
    {
        var verb = Named(name);
        var id = verb.Arrange(_fx);
        var version = verb.VersionOf(_fx, id);

        verb.Act(_fx, id, version);

        verb.VersionOf(_fx, id).Should().Be(version + 1);
        var history = Registry.GetHistory(verb.Kind, id);
        history.Select(r => r.Version).Should().Equal(Enumerable.Range(1, version + 1));
        history[^1].Should().Match<DonorRegistry.Audit.AuditRecord>(r => r.Kind == verb.Kind && r.Id == id && r.Actor == By && r.At == _fx.Clock.GetUtcNow());
    }

    [Test]
    public void UnknownIds_GiveTheirKindsNotFoundException()
    {
        var donor = () => _fx.Donors.List(new DonorId(999), By);
        var sample = () => Registry.Samples.Reject("NO-SUCH-TUBE", "lost", By);
        var matchCase = () => Registry.Cases.ContactDonor(new CaseReference("CASE-99999999"), By);
        var drive = () => Registry.Drives.OpenEnrolment(new DriveId("NO-DRIVE"), By);
        var donation = () => Registry.Care.MarkUnreachable("DON-99999999", "无人接听", By);

        donor.Should().Throw<DonorNotFoundException>().Which.Should().Match<NotFoundException>(e => e.Kind == AggregateKind.Donor && e.Id == "DR-00000999");
        sample.Should().Throw<SampleNotFoundException>().Which.Kind.Should().Be(AggregateKind.Sample);
        matchCase.Should().Throw<CaseNotFoundException>().Which.Kind.Should().Be(AggregateKind.Case);
        drive.Should().Throw<UnknownDriveException>().Which.Kind.Should().Be(AggregateKind.Drive);
        donation.Should().Throw<DonationNotFoundException>().Which.Kind.Should().Be(AggregateKind.Donation);
    }

    [TestCase((AggregateKind)99, "DR-00000001", "kind")]
    [TestCase(AggregateKind.Donor, "not-a-donor-id", "id")]
    [TestCase(AggregateKind.Sample, " ", "id")]
    public void GetHistory_WithAnUnknownKindOrAMalformedId_IsRefusedNamingIt(AggregateKind kind, string id, string field)
    {
        var act = () => Registry.GetHistory(kind, id);

        act.Should().Throw<RegistryValidationException>().Which.Field.Should().Be(field);
    }

    [Test]
    public void GetHistory_OfAnIdNothingWasStoredFor_IsEmpty() =>
        Registry.GetHistory(AggregateKind.Case, "CASE-99999999").Should().BeEmpty();

    [Test]
    public void ACaseStepThatMovesTheDonor_StoresBothWithTheirAuditRecords_OrNeither()
    {
        var donor = _fx.DonorIn(DonorState.Available);
        var opened = Registry.Cases.Open(donor.Id, "BJ-TC-1", By);

        Registry.GetHistory(AggregateKind.Case, opened.Id.ToString()).Should().ContainSingle().Which.Action.Should().Be("Open");
        Registry.GetHistory(AggregateKind.Donor, donor.Id.ToString())[^1].Should().Match<DonorRegistry.Audit.AuditRecord>(r => r.Action == "Reserve" && r.To == "Reserved");

        // A second case for the same donor is refused by the donor's lifecycle: no case is stored, the donor is unchanged.
        var again = () => Registry.Cases.Open(donor.Id, "BJ-TC-2", By);
        again.Should().Throw<InvalidDonorTransitionException>();
        Registry.Cases.FindByDonor(donor.Id).Should().ContainSingle();
        _fx.Donors.Get(donor.Id).Version.Should().Be(donor.Version + 1);
    }

    [Test]
    public void Searches_DoNotWaitForAWriter()
    {
        _fx.DonorIn(DonorState.Available);
        Registry.Search.BuildIndex();
        var patient = HlaTyping.FromLoci(_fx.Donors.FindByState(DonorState.Available)[0].Typing!.Loci);
        using var release = new ManualResetEventSlim();
        var writer = Task.Run(() => Registry.Writes.Storage.Exclusive(() => release.Wait(TimeSpan.FromSeconds(30), CancellationToken.None)));
        try
        {
            Thread.Sleep(100); // the writer holds the gate now

            var search = Task.Run(() => Registry.Search.Find(new SearchRequest(patient) { Loci = [HlaLocus.A, HlaLocus.B, HlaLocus.DRB1] }));
            var read = Task.Run(() => _fx.Donors.CountByState());

            Task.WaitAll([search, read], TimeSpan.FromSeconds(10)).Should().BeTrue("a search and a query take no write gate");
            search.Result.Matches.Should().NotBeEmpty();
        }
        finally
        {
            release.Set();
            writer.Wait();
        }
    }

    [Test]
    public void TheSearchLog_WrittenOffTheReadPath_LosesNoEntryAtAcleanClose()
    {
        _fx.DonorIn(DonorState.Available);
        var patient = HlaTyping.FromLoci(_fx.Donors.FindByState(DonorState.Available)[0].Typing!.Loci);
        for (var i = 0; i < 25; i++)
        {
            Registry.Search.Find(new SearchRequest(patient) { Loci = [HlaLocus.A, HlaLocus.B, HlaLocus.DRB1] });
        }

        _fx.Reopen();

        Registry.Reports.Build(ReportPeriod.Year(_fx.Today.Year)).Searches.Should().Be(25);
    }

    private static string PlanDrive(RegistryFixture fx) =>
        fx.Registry.Drives.Plan(new DrivePlan(new DriveId("CUC-2026-12"), "中国传媒大学冬季招募", DriveKind.Campus, "朝阳区红十字会", "图书馆报告厅", fx.Today, fx.Today.AddDays(1), 100), By).Id.ToString();

    private static string Shipped(RegistryFixture fx)
    {
        var donor = fx.Enrol();
        var barcode = "T-" + donor.Id.Value;
        fx.Registry.Samples.Collect(donor.Id, barcode, SampleKind.BloodEdta, By);
        fx.Registry.Samples.Ship("lab", [barcode], By);
        return barcode;
    }

    private static string Received(RegistryFixture fx)
    {
        var barcode = Shipped(fx);
        fx.Registry.Samples.Receive([barcode], By);
        return barcode;
    }

    private static string OpenCase(RegistryFixture fx) => fx.Registry.Cases.Open(fx.DonorIn(DonorState.Available).Id, "BJ-TC-7", By).Id.ToString();

    private static string Donation(RegistryFixture fx)
    {
        var donor = fx.DonorIn(DonorState.Available);
        var matchCase = fx.Registry.Cases.Open(donor.Id, "BJ-TC-8", By);
        return fx.Registry.Care.RecordDonation(donor.Id, new DonationDetails(matchCase.Id, DonationProduct.Pbsc, fx.Today, fx.Today, 5, "北京大学人民医院", DonationOutcome.Completed), By).Id;
    }
}
