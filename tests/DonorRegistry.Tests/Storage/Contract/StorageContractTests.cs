using DonorRegistry.Access;
using DonorRegistry.Audit;
using DonorRegistry.Care;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.PostgreSql;
using DonorRegistry.Samples;
using DonorRegistry.Storage;
using DonorRegistry.Storage.LiteDb;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage.Contract;

/// <summary>
/// The storage contract: the behaviour every engine under the registry must have, tested on
/// <see cref="IRegistryStorage"/> alone. Each engine runs the same tests: LiteDB on a file, LiteDB in memory, and
/// PostgreSQL (each test on a fresh schema of the server DONORREGISTRY_PG names; ignored, with the reason, without it).
/// </summary>
[TestFixture("LiteDB file")]
[TestFixture("LiteDB memory")]
[TestFixture("PostgreSQL")]
[TestFixture("PostgreSQL, keys on the server")]
public sealed class StorageContractTests(string engine)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);
    private readonly EligibilityPolicy _policy = new();
    private string _folder = null!;
    private RegistryKey _key = null!;
    private IRegistryStorage _storage = null!;
    private PostgreSqlServer.Schema? _schema;

    private bool IsFile => engine.EndsWith("file", StringComparison.Ordinal);

    private bool IsPostgreSql => engine.StartsWith("PostgreSQL", StringComparison.Ordinal);

    private bool KeysOnServer => engine.EndsWith("on the server", StringComparison.Ordinal);

    [SetUp]
    public void SetUp()
    {
        _schema = IsPostgreSql ? PostgreSqlServer.NewSchema("contract") : null;
        _folder = Directory.CreateTempSubdirectory("storage-contract-").FullName;
        _key = RegistryKey.Generate();
        _storage = Open(create: true);
    }

    [TearDown]
    public void TearDown()
    {
        _storage?.Dispose();
        _schema?.Dispose();
        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    // ---- Writes ----------------------------------------------------------------------------------------

    [Test]
    public void AWriteThatThrows_StoresNothing_AndTheNextWriteWorks()
    {
        var act = () => _storage.Write<int>(() =>
        {
            InsertDonors(Enrolled(1));
            _storage.Drives.Insert(NewDrive("D-1"));
            _storage.Audit.Append(Record(AggregateKind.Drive, "D-1", 1), SealOf(Record(AggregateKind.Drive, "D-1", 1)));
            throw new InvalidOperationException("refused half-way");
        });

        act.Should().Throw<InvalidOperationException>();
        _storage.Donors.Count().Should().Be(0);
        _storage.Drives.Find(new DriveId("D-1")).Should().BeNull();
        _storage.Audit.History(AggregateKind.Drive, "D-1").Should().BeEmpty();

        _storage.Write(() => InsertDonors(Enrolled(1)));
        _storage.Donors.Count().Should().Be(1);
    }

    [Test]
    public void AfterCommit_RunsOnlyWhenTheWorkCommitted()
    {
        var ran = 0;
        _storage.Write(() => 1, _ => ran++);
        var failed = () => _storage.Write<int>(() => throw new InvalidOperationException("no"), _ => ran++);

        failed.Should().Throw<InvalidOperationException>();
        ran.Should().Be(1);
    }

    [Test]
    public void Sequences_CountUpEachOnItsOwn_AndDonorIdsComeInBlocks()
    {
        _storage.Write(() => (_storage.Next(Sequence.Case), _storage.Next(Sequence.Case), _storage.Next(Sequence.Shipment))).Should().Be((1L, 2L, 1L));
        _storage.Write(() => _storage.AllocateDonorIds(100)).Should().Be(1);
        _storage.Write(() => _storage.AllocateDonorIds(1)).Should().Be(101);
    }

    // ---- Donors ----------------------------------------------------------------------------------------

    [Test]
    public void Donors_ReadBackAsStored_WithTheirIdentityAndSealedData()
    {
        var donor = Person(7, drive: "CUC-2026-01");
        var hash = Number();
        _storage.Write(() => InsertDonors(new NewDonor(donor, hash, [1, 2, 3], [7, 7])));

        var loaded = _storage.Donors.Find(donor.Id)!;

        loaded.Value.Should().BeEquivalentTo(donor);
        _storage.Donors.IdentityOf(loaded).Should().Be(hash.Stored);
        _storage.Donors.SealedPersonalData(donor.Id).Should().Equal(1, 2, 3);
        _storage.Donors.FindByIdentity(hash).Should().ContainSingle().Which.Should().Match<IdentityCandidate>(c => c.Id == donor.Id && c.Proof!.SequenceEqual(new byte[] { 7, 7 }));
        _storage.Donors.DriveOf(donor.Id).Should().Be(new DriveId("CUC-2026-01"));
        _storage.Donors.Find(new DonorId(8)).Should().BeNull();
    }

    [Test]
    public void IdentitiesOfABatch_ReadAtOnce_GiveEachIdentitysHoldersInIdOrder_AndLeaveOutTheUnheld()
    {
        var shared = Number();
        var single = Number();
        _storage.Write(() => InsertDonors(
            new NewDonor(Person(1), shared, [1], [1]),
            new NewDonor(Person(2), single, [2], [2]),
            new NewDonor(Person(3), shared, [3], [3])));

        var found = _storage.Donors.FindByIdentities([single, shared, Number(), shared]);

        found.Keys.Should().BeEquivalentTo([shared.Stored, single.Stored]);
        found[shared.Stored].Select(c => c.Id.Value).Should().Equal(1, 3);
        found[single.Stored].Should().ContainSingle().Which.Proof.Should().Equal(2);
        _storage.Donors.FindByIdentities([]).Should().BeEmpty();
    }

    [Test]
    public void ADonorUpdate_KeepsIdentityAndSealedData_UnlessTheyAreReplaced()
    {
        var hash = Number();
        _storage.Write(() => InsertDonors(new NewDonor(Person(1), hash, [9])));

        _storage.Write(() =>
        {
            var loaded = _storage.Donors.Find(new DonorId(1))!;
            loaded.Value.StatusNote = "noted";
            loaded.Value.Version = 2;
            _storage.Donors.Update(loaded);
            return 0;
        });

        _storage.Donors.Find(new DonorId(1))!.Value.Should().Match<Donor>(d => d.StatusNote == "noted" && d.Version == 2);
        _storage.Donors.SealedPersonalData(new DonorId(1)).Should().Equal(9);
        _storage.Donors.FindByIdentity(hash).Select(c => c.Id).Should().Equal(new DonorId(1));

        var erased = Number();
        _storage.Write(() =>
        {
            var loaded = _storage.Donors.Find(new DonorId(1))!;
            _storage.Donors.SetIdentity(loaded, erased, null);
            _storage.Donors.Update(loaded);
            return 0;
        });

        _storage.Donors.SealedPersonalData(new DonorId(1)).Should().BeNull();
        _storage.Donors.FindByIdentity(hash).Should().BeEmpty();
        _storage.Donors.FindByIdentity(erased).Should().ContainSingle().Which.Should().Match<IdentityCandidate>(c => c.Id == new DonorId(1) && c.Proof == null, "an erased identity keeps no proof");
    }

    [Test]
    public void DonorsSharingAnIdentity_AreAllFound_InIdOrder_WithTheirOwnProofs()
    {
        // Identities are coarse on purpose (ADR 12): several people share one, and the proofs tell them apart. Each
        // person's number has its own fingerprint; a lookup of either finds both.
        var hash = Number();
        var other = hash with { Fingerprint = hash.Fingerprint + 1 };
        _storage.Write(() => InsertDonors(new NewDonor(Person(3), other, [3], [30]), new NewDonor(Person(1), hash, [1], [10]), new NewDonor(Person(2), Number(), [2], [20])));

        var candidates = _storage.Donors.FindByIdentity(hash);
        _storage.Donors.FindByIdentity(other).Should().BeEquivalentTo(candidates);

        candidates.Select(c => c.Id.Value).Should().Equal(1, 3);
        candidates.Select(c => c.Proof![0]).Should().Equal((byte)10, (byte)30);
    }

    [Test]
    public void DonorQueries_ByStateAndDrive_PageInIdOrder_AndCount()
    {
        var donors = Enumerable.Range(1, 10).Select(i => Person(i, i % 2 == 0 ? DonorState.Available : DonorState.Enrolled, i <= 4 ? "D-A" : "D-B")).ToArray();
        _storage.Write(() => InsertDonors(donors.Select(d => new NewDonor(d, Number(), [0])).ToArray()));

        var pages = Enumerable.Range(0, 3).SelectMany(page => _storage.Donors.FindByState(DonorState.Available, page * 2, 2)).Select(d => d.Id.Value).ToList();
        pages.Should().BeEquivalentTo([2L, 4, 6, 8, 10], "pages in a stable order cover every donor in the state once");
        _storage.Donors.FindByState(DonorState.Available, 1, 2).Select(d => d.Id.Value).Should().Equal(pages.Skip(1).Take(2), "the order is stable");
        _storage.Donors.FindByDrive(new DriveId("D-A"), 0, 100).Select(d => d.Id.Value).Should().Equal(1, 2, 3, 4);
        _storage.Donors.FindByDriveAndState(new DriveId("D-B"), DonorState.Available).Select(d => d.Id.Value).Should().Equal(6, 8, 10);
        _storage.Donors.CountByState(DonorState.Enrolled).Should().Be(5);
        _storage.Donors.Count().Should().Be(10);
        _storage.Donors.CountByDrive(new DriveId("D-A")).Should().Be((4, 0));
        _storage.Donors.FindInStates([DonorState.Available]).Select(d => d.Id.Value).Should().BeEquivalentTo([2L, 4, 6, 8, 10]);
    }

    [Test]
    public void TheCalendarQuery_FindsDonorsWhoseDayHasCome_AndOnlyThem()
    {
        var deferred = Person(1, DonorState.TemporarilyUnavailable);
        deferred.DeferredUntil = Today.AddDays(-1);
        var later = Person(2, DonorState.TemporarilyUnavailable);
        later.DeferredUntil = Today.AddDays(10);
        var enrolled = Person(3);
        _storage.Write(() => InsertDonors(new[] { deferred, later, enrolled }.Select(d => new NewDonor(d, Number(), [0])).ToArray()));

        _storage.Donors.FindDueBy(Today).Select(l => l.Value.Id.Value).Should().Equal(1);
        _storage.Donors.FindDueBy(Today.AddDays(11)).Select(l => l.Value.Id.Value).Should().Equal(1, 2);
    }

    [Test]
    public void TheSearchProjection_HoldsListedTypedDonors_WithTheirTypingAndTraits()
    {
        var typed = Person(1, DonorState.Available);
        typed.Typing = new TypingResult("lab", Today, new Dictionary<string, string> { ["A"] = "A*02:01+A*24:02", ["B"] = "B*40:01+B*46:01", ["DRB1"] = "DRB1*09:01+DRB1*15:01" });
        var untyped = Person(2, DonorState.Available);
        var withdrawn = Person(3, DonorState.Withdrawn);
        _storage.Write(() => InsertDonors(new[] { typed, untyped, withdrawn }.Select(d => new NewDonor(d, Number(), [0])).ToArray()));

        var rows = _storage.Donors.ScanForSearch([DonorState.Available, DonorState.Reserved]).ToList();

        rows.Should().ContainSingle().Which.Should().Match<SearchRow>(r =>
            r.Id == 1 && r.State == DonorState.Available && r.BirthDate == typed.Profile.BirthDate && r.Sex == typed.Profile.Sex && r.Loci["A"] == "A*02:01+A*24:02");
        _storage.Donors.FindWithdrawn().Should().Equal(new DonorId(3));
    }

    // ---- Samples, cases, drives, donations -------------------------------------------------------------

    [Test]
    public void Samples_RoundTrip_AndAreFoundByDonorAndDrive_OldestFirst()
    {
        var first = new Sample("T-2", new DonorId(1), SampleKind.BloodEdta, new DriveId("D-A"), Now) { Version = 1 };
        var second = new Sample("T-1", new DonorId(1), SampleKind.BuccalSwab, new DriveId("D-B"), Now.AddDays(1)) { Version = 1 };
        _storage.Write(() =>
        {
            _storage.Samples.Insert(first);
            _storage.Samples.Insert(second);
            _storage.Samples.InsertShipment(new Shipment("SHP-1", "lab", Now, ["T-2"], "nurse"));
            return 0;
        });

        _storage.Samples.Find("T-2")!.Value.Should().BeEquivalentTo(first);
        _storage.Samples.FindByDonor(new DonorId(1)).Select(s => s.Barcode).Should().Equal("T-2", "T-1");
        _storage.Samples.FindByDrive(new DriveId("D-B")).Select(s => s.Barcode).Should().Equal("T-1");
        _storage.Samples.FirstCollectedAt(new DonorId(1)).Should().Be(Now);
        _storage.Samples.FirstCollectedAt(new DonorId(2)).Should().BeNull();
        _storage.Samples.FindShipment("SHP-1")!.Barcodes.Should().Equal("T-2");
        _storage.Samples.Find("T-9").Should().BeNull();
    }

    [Test]
    public void Instants_ReadBackToTheMillisecond()
    {
        var at = Now.AddTicks(1_234_567); // 123.4567 ms past the minute
        _storage.Write(() =>
        {
            _storage.Samples.Insert(new Sample("T-1", new DonorId(1), SampleKind.BloodEdta, null, at) { Version = 1 });
            return 0;
        });

        _storage.Samples.Find("T-1")!.Value.CollectedAt.Should().Be(Now.AddMilliseconds(123));
        _storage.Samples.FirstCollectedAt(new DonorId(1)).Should().Be(Now.AddMilliseconds(123));
    }

    [Test]
    public void SampleUpdates_AreStoredOverTheLoadedRow()
    {
        _storage.Write(() =>
        {
            _storage.Samples.Insert(new Sample("T-1", new DonorId(1), SampleKind.BloodEdta, null, Now) { Version = 1 });
            return 0;
        });

        _storage.Write(() =>
        {
            var loaded = _storage.Samples.Find("T-1")!;
            loaded.Value.State = SampleState.Shipped;
            loaded.Value.ShipmentId = "SHP-1";
            loaded.Value.Version = 2;
            _storage.Samples.Update(loaded);
            return 0;
        });

        _storage.Samples.Find("T-1")!.Value.Should().Match<Sample>(s => s.State == SampleState.Shipped && s.ShipmentId == "SHP-1" && s.Version == 2);
    }

    [Test]
    public void Cases_RoundTrip_AndAreFoundByDonorAndOpeningTime()
    {
        var a = new MatchCase(new CaseReference("CASE-1"), new DonorId(1), "PAT-1", Now) { Version = 1 };
        var b = new MatchCase(new CaseReference("CASE-2"), new DonorId(1), "PAT-2", Now.AddDays(5)) { Version = 1 };
        _storage.Write(() =>
        {
            _storage.Cases.Insert(b);
            _storage.Cases.Insert(a);
            return 0;
        });

        _storage.Cases.Find(new CaseReference("CASE-1"))!.Value.Should().BeEquivalentTo(a);
        _storage.Cases.FindByDonor(new DonorId(1)).Select(c => c.Id.Value).Should().Equal("CASE-1", "CASE-2");
        _storage.Cases.FindOpenedBetween(Now.AddDays(1), Now.AddDays(10)).Select(c => c.Id.Value).Should().Equal("CASE-2");
    }

    [Test]
    public void Drives_AndTheirLectures_RoundTrip()
    {
        var drive = NewDrive("D-1");
        _storage.Write(() =>
        {
            _storage.Drives.Insert(drive);
            _storage.Drives.InsertLecture(new Lecture("LEC-2", drive.Id, "礼堂", Today, 120, "李医生", "organizer"));
            _storage.Drives.InsertLecture(new Lecture("LEC-1", null, "社区", Today.AddDays(-3), 40, "王医生", "organizer"));
            return 0;
        });

        _storage.Drives.Find(drive.Id)!.Value.Should().BeEquivalentTo(drive);
        _storage.Drives.FindAll().Should().ContainSingle();
        _storage.Drives.FindLectures(drive.Id).Select(l => l.Id).Should().Equal("LEC-2");
        _storage.Drives.FindLectures(Today.AddDays(-5), Today).Select(l => l.Id).Should().Equal("LEC-1", "LEC-2");
    }

    [Test]
    public void Donations_RoundTrip_AndTheirDueListsFollowTheSchedule()
    {
        var details = new DonationDetails(new CaseReference("CASE-1"), DonationProduct.Pbsc, Today, Today, 5, "centre", DonationOutcome.Completed, []);
        var record = new DonationRecord("DON-1", new DonorId(1), details, [new FollowUp("D2", "day 2", Today.AddDays(2), AdverseEvents: [])],
            [new AppreciationVisit("AtDonation", AppreciationOccasion.AtDonation, Today, Today.AddDays(3))], null, null, Now, 1);
        _storage.Write(() =>
        {
            _storage.Donations.Insert(record);
            _storage.Donations.SetPublicityConsent(new DonorId(1), true, "coordinator", Now);
            _storage.Donations.InsertRecognition(new Recognition("REC-1", new DonorId(1), RecognitionKind.Certificate, "感谢", Today, "director"));
            return 0;
        });

        _storage.Donations.Find("DON-1")!.Value.Should().BeEquivalentTo(record);
        _storage.Donations.FindByDonor(new DonorId(1)).Should().ContainSingle();
        _storage.Donations.FindFollowUpDueBefore(Today.AddDays(2)).Should().BeEmpty();
        _storage.Donations.FindFollowUpDueBefore(Today.AddDays(3)).Should().ContainSingle();
        _storage.Donations.FindVisitDueBy(Today).Should().ContainSingle();
        _storage.Donations.FindCollectedBetween(Today, Today).Should().ContainSingle();
        _storage.Donations.HasPublicityConsent(new DonorId(1)).Should().BeTrue();
        _storage.Donations.FindRecognitions(Today, Today).Should().ContainSingle().Which.Id.Should().Be("REC-1");
        _storage.Donations.FindRecognitions(new DonorId(1)).Should().ContainSingle();
    }

    // ---- Audit and reports -----------------------------------------------------------------------------

    [Test]
    public void AuditRecords_ReadBackPerRecordInVersionOrder_AndKindsDoNotMix()
    {
        _storage.Write(() =>
        {
            _storage.Audit.AppendMany([Sealed(Record(AggregateKind.Donor, "DR-00000001", 2)), Sealed(Record(AggregateKind.Donor, "DR-00000001", 1)), Sealed(Record(AggregateKind.Donor, "DR-00000002", 1))]);
            _storage.Audit.Append(Record(AggregateKind.Sample, "T-1", 1), SealOf(Record(AggregateKind.Sample, "T-1", 1)));
            _storage.Audit.Append(Record(AggregateKind.Case, "CASE-1", 1), SealOf(Record(AggregateKind.Case, "CASE-1", 1)));
            _storage.Audit.Append(Record(AggregateKind.Drive, "D-1", 1), SealOf(Record(AggregateKind.Drive, "D-1", 1)));
            _storage.Audit.Append(Record(AggregateKind.Donation, "DON-1", 1), SealOf(Record(AggregateKind.Donation, "DON-1", 1)));
            return 0;
        });

        _storage.Audit.History(AggregateKind.Donor, "DR-00000001").Should().Equal(Record(AggregateKind.Donor, "DR-00000001", 1), Record(AggregateKind.Donor, "DR-00000001", 2));
        foreach (var (kind, id) in new[] { (AggregateKind.Sample, "T-1"), (AggregateKind.Case, "CASE-1"), (AggregateKind.Drive, "D-1"), (AggregateKind.Donation, "DON-1") })
        {
            _storage.Audit.History(kind, id).Should().Equal(Record(kind, id, 1));
        }

        _storage.Audit.History(AggregateKind.Sample, "T-10").Should().BeEmpty("an id that starts like another is another record");
    }

    [Test]
    public void ASecondAuditRecordForTheSameVersion_IsRefused()
    {
        _storage.Write(() =>
        {
            _storage.Audit.Append(Record(AggregateKind.Sample, "T-1", 1), SealOf(Record(AggregateKind.Sample, "T-1", 1)));
            return 0;
        });

        var act = () => _storage.Write(() =>
        {
            _storage.Audit.Append(Record(AggregateKind.Sample, "T-1", 1), SealOf(Record(AggregateKind.Sample, "T-1", 1)));
            return 0;
        });

        act.Should().Throw<Exception>();
        _storage.Audit.History(AggregateKind.Sample, "T-1").Should().ContainSingle();
    }

    [Test]
    public void DailyCounts_AddUp_PerDayDriveAndMetric()
    {
        _storage.Write(() =>
        {
            _storage.Reports.AddCount(Today, new DriveId("D-A"), Metric.Enrolled, 3);
            _storage.Reports.AddCount(Today, new DriveId("D-A"), Metric.Enrolled, 2);
            _storage.Reports.AddCount(Today.AddDays(1), new DriveId("D-B"), Metric.Enrolled, 7);
            _storage.Reports.AddCount(Today, null, Metric.Listed, 1);
            return 0;
        });

        _storage.Reports.SumCounts(Today, Today.AddDays(1), null).Should().BeEquivalentTo(new Dictionary<string, int> { [Metric.Enrolled] = 12, [Metric.Listed] = 1 });
        _storage.Reports.SumCounts(Today, Today, new DriveId("D-A")).Should().BeEquivalentTo(new Dictionary<string, int> { [Metric.Enrolled] = 5 });
    }

    [Test]
    public void DailyCounts_AddedAPageAtOnce_AddToThoseThere_AKeyGivenTwiceTwice()
    {
        _storage.Write(() =>
        {
            _storage.Reports.AddCount(Today, new DriveId("D-A"), Metric.Enrolled, 3);
            _storage.Reports.AddCounts([
                new DailyCount(Today, new DriveId("D-A"), Metric.Enrolled, 10),
                new DailyCount(Today, null, Metric.Listed, 1),
                new DailyCount(Today, null, Metric.Listed, 2),
                new DailyCount(Today.AddDays(1), new DriveId("D-B"), Metric.Enrolled, 7)]);
            _storage.Reports.AddCounts([]);
            return 0;
        });

        _storage.Reports.ReadCounts(null, 10).Should().Equal(
            new DailyCount(Today, null, Metric.Listed, 3),
            new DailyCount(Today, new DriveId("D-A"), Metric.Enrolled, 13),
            new DailyCount(Today.AddDays(1), new DriveId("D-B"), Metric.Enrolled, 7));
    }

    [Test]
    public void RecollectionsAndTheSearchLog_AreReadBackByTime()
    {
        _storage.Write(() =>
        {
            _storage.Reports.InsertRecollection(new Recollection("T-2", new DonorId(1), new DriveId("D-A"), Now, Today.AddDays(-30)));
            _storage.Reports.AppendSearchLog([new SearchLogEntry(Now, 100, 3, 2), new SearchLogEntry(Now.AddDays(2), 50, 0, 1)]);
            return 0;
        });

        _storage.Reports.FindRecollections(Now.AddHours(-1), Now.AddHours(1)).Should().Equal(new Recollection("T-2", new DonorId(1), new DriveId("D-A"), Now, Today.AddDays(-30)));
        _storage.Reports.FindSearchLog(Now.AddHours(-1), Now.AddDays(1)).Should().Equal(new SearchLogEntry(Now, 100, 3, 2));
    }

    [Test]
    public void WhatWasCommitted_IsThereAfterReopening()
    {
        if (!IsFile && !IsPostgreSql)
        {
            Assert.Ignore("an in-memory registry ends with its process");
        }

        _storage.Write(() =>
        {
            InsertDonors(Enrolled(1));
            _storage.Audit.Append(Record(AggregateKind.Donor, "DR-00000001", 1), SealOf(Record(AggregateKind.Donor, "DR-00000001", 1)));
            _storage.Next(Sequence.Case);
            return 0;
        });

        _storage.Dispose();
        _storage = Open(create: false);

        _storage.Donors.Find(new DonorId(1)).Should().NotBeNull();
        _storage.Audit.History(AggregateKind.Donor, "DR-00000001").Should().ContainSingle();
        _storage.Write(() => _storage.Next(Sequence.Case)).Should().Be(2);
    }

    [Test]
    public void Users_RoundTrip_AreUpdatedOverTheLoadedRow_AndListedByName()
    {
        var wang = new UserAccount("wang.fang", "王芳", [Role.Organizer, Role.Coordinator], "hash-1", 0, null, false, 1);
        var admin = new UserAccount("admin.liu", "刘", [Role.Administrator], "hash-2", 0, null, false, 1);
        _storage.Write(() =>
        {
            _storage.Users.Insert(wang);
            _storage.Users.Insert(admin);
            return 0;
        });

        var loaded = _storage.Users.Find("wang.fang")!;
        loaded.Value.Should().Be(wang);
        loaded.Value = wang with { FailedSignIns = 5, LockedUntil = Now.AddMinutes(15), Disabled = true, Roles = [Role.Lab] };
        loaded.Value.Version = 2;
        _storage.Write(() =>
        {
            _storage.Users.Update(loaded);
            return 0;
        });

        _storage.Users.Find("wang.fang")!.Value.Should().Be(new UserAccount("wang.fang", "王芳", [Role.Lab], "hash-1", 5, Now.AddMinutes(15), true, 2));
        _storage.Users.Find("nobody").Should().BeNull();
        _storage.Users.Find(string.Empty).Should().BeNull();
        _storage.Users.FindAll().Select(u => u.UserName).Should().Equal("admin.liu", "wang.fang");
        _storage.Users.Count().Should().Be(2);
    }

    [Test]
    public void UserAuditRecords_AreAKindOfTheirOwn()
    {
        _storage.Write(() =>
        {
            _storage.Audit.Append(Record(AggregateKind.User, "wang.fang", 1), SealOf(Record(AggregateKind.User, "wang.fang", 1)));
            _storage.Audit.Append(Record(AggregateKind.User, "wang.fang", 2), SealOf(Record(AggregateKind.User, "wang.fang", 2)));
            return 0;
        });

        _storage.Audit.History(AggregateKind.User, "wang.fang").Select(r => r.Version).Should().Equal(1, 2);
        _storage.Audit.SealOf(AggregateKind.User, "wang.fang", 2).Should().Equal(SealOf(Record(AggregateKind.User, "wang.fang", 2)));
        _storage.Audit.History(AggregateKind.Volunteer, "wang.fang").Should().BeEmpty();
    }

    [Test]
    public void TheAccessLog_ReadsBackNewestFirst_AndFiltersByActorRecordAndPeriod()
    {
        AccessRecord Entry(int minute, string actor, string? donor, AccessOutcome outcome) =>
            new(Now.AddMinutes(minute), actor, actor == "host" ? [.. Enum.GetValues<Role>()] : [Role.Lab], actor == "host", RegistryAction.ReadPersonalData,
                donor is null ? null : AggregateKind.Donor, donor, outcome, $"reason {minute}");
        var first = Entry(0, "lab.zhao", "DR-00000001", AccessOutcome.Masked);
        var sameInstant = Entry(0, "lab.zhao", null, AccessOutcome.Denied);
        var later = Entry(5, "host", "DR-00000002", AccessOutcome.Allowed);
        _storage.Write(() =>
        {
            _storage.Access.Append([first, sameInstant]);
            return 0;
        });
        _storage.Write(() =>
        {
            _storage.Access.Append([later]);
            return 0;
        });

        _storage.Access.Find(new AccessQuery()).Should().Equal(later, sameInstant, first);
        _storage.Access.Find(new AccessQuery(Actor: "lab.zhao")).Should().Equal(sameInstant, first);
        _storage.Access.Find(new AccessQuery(Kind: AggregateKind.Donor, Id: "DR-00000001")).Should().Equal(first);
        _storage.Access.Find(new AccessQuery(From: Now.AddMinutes(1))).Should().Equal(later);
        _storage.Access.Find(new AccessQuery(Actor: "lab.zhao", Until: Now)).Should().Equal(sameInstant, first);
        _storage.Access.Find(new AccessQuery(Limit: 2)).Should().Equal(later, sameInstant);
        _storage.Access.Find(new AccessQuery(Actor: "nobody")).Should().BeEmpty();
    }

    // ---- Reading out for a copy into another engine (ADR 22) ------------------------------------------------------

    [Test]
    public void PublicityConsents_ReadOutAPageAtATimeInDonorOrder_WithTheirHistory_AndGoInWhole()
    {
        var copied = new PublicityConsent(new DonorId(5), true, Now.AddDays(3), [new PublicityChange(false, "branch.wu", Now.AddDays(1)), new PublicityChange(true, "branch.wu", Now.AddDays(3))]);
        _storage.Write(() =>
        {
            _storage.Donations.SetPublicityConsent(new DonorId(3), true, "coordinator", Now);
            _storage.Donations.SetPublicityConsent(new DonorId(1), true, "coordinator", Now);
            _storage.Donations.SetPublicityConsent(new DonorId(1), false, "donor.self", Now.AddDays(2));
            _storage.Donations.SetPublicityConsent(new DonorId(2), true, "coordinator", Now.AddHours(1));
            _storage.Donations.InsertPublicityConsents([copied, new PublicityConsent(new DonorId(4), false, Now, [new PublicityChange(false, "branch.wu", Now)])]);
            return 0;
        });

        var first = _storage.Donations.ReadPublicityConsents(0, 2);
        var rest = _storage.Donations.ReadPublicityConsents(first[^1].Donor.Value, 10);

        first.Select(c => c.Donor.Value).Should().Equal(1, 2);
        first[0].Should().Be(new PublicityConsent(new DonorId(1), false, Now.AddDays(2), [new PublicityChange(true, "coordinator", Now), new PublicityChange(false, "donor.self", Now.AddDays(2))]));
        rest.Select(c => c.Donor.Value).Should().Equal(3, 4, 5);
        rest[2].Should().Be(copied);
        _storage.Donations.HasPublicityConsent(new DonorId(5)).Should().BeTrue();
        _storage.Donations.ReadPublicityConsents(5, 10).Should().BeEmpty();
    }

    [Test]
    public void ACopiedConsent_WithoutHistory_OrNotTheLastItsHistoryGives_IsRefused_AsIsAPageOutOfRange()
    {
        var empty = () => _storage.Write(() => { _storage.Donations.InsertPublicityConsents([new PublicityConsent(new DonorId(1), true, Now, [])]); return 0; });
        var unlike = () => _storage.Write(() => { _storage.Donations.InsertPublicityConsents([new PublicityConsent(new DonorId(1), true, Now, [new PublicityChange(false, "x", Now)])]); return 0; });

        empty.Should().Throw<RegistryValidationException>().Which.Field.Should().Be("consent");
        unlike.Should().Throw<RegistryValidationException>().Which.Value.Should().Be(new DonorId(1).ToString());
        var one = new PublicityConsent(new DonorId(2), true, Now, [new PublicityChange(true, "x", Now)]);
        FluentActions.Invoking(() => _storage.Write(() => { _storage.Donations.InsertPublicityConsents([one, one]); return 0; })).Should().Throw<RegistryValidationException>().Which.Problem.Should().Be("is given twice");
        FluentActions.Invoking(() => _storage.Reports.ReadCounts(null, 0)).Should().Throw<RegistryValidationException>().Which.Field.Should().Be("limit");
        FluentActions.Invoking(() => _storage.Access.ReadAfter(0, 100_001)).Should().Throw<RegistryValidationException>().Which.Value.Should().Be("100001");
        _storage.Donations.ReadPublicityConsents(0, 10).Should().BeEmpty();
    }

    [Test]
    public void DailyCounts_ReadOutByDayDriveAndMetric_APageAtATime()
    {
        _storage.Write(() =>
        {
            _storage.Reports.AddCount(Today.AddDays(1), new DriveId("D-B"), Metric.Enrolled, 7);
            _storage.Reports.AddCount(Today, new DriveId("D-B"), Metric.Listed, 1);
            _storage.Reports.AddCount(Today, new DriveId("D-A"), Metric.SamplesCollected, 4);
            _storage.Reports.AddCount(Today, null, Metric.Enrolled, 2);
            _storage.Reports.AddCount(Today, new DriveId("D-A"), Metric.Enrolled, 3);
            _storage.Reports.AddCount(Today, new DriveId("D-A"), Metric.Enrolled, 2);
            return 0;
        });
        var all = new List<DailyCount>();
        for (var page = _storage.Reports.ReadCounts(null, 2); page.Count > 0; page = _storage.Reports.ReadCounts(page[^1], 2))
        {
            page.Count.Should().BeLessThanOrEqualTo(2);
            all.AddRange(page);
        }

        all.Should().Equal(
            new DailyCount(Today, null, Metric.Enrolled, 2),
            new DailyCount(Today, new DriveId("D-A"), Metric.Enrolled, 5),
            new DailyCount(Today, new DriveId("D-A"), Metric.SamplesCollected, 4),
            new DailyCount(Today, new DriveId("D-B"), Metric.Listed, 1),
            new DailyCount(Today.AddDays(1), new DriveId("D-B"), Metric.Enrolled, 7));
    }

    [Test]
    public void RecollectionsAndTheLogs_ReadOutInOrder_APageAtATime()
    {
        var access = Enumerable.Range(0, 5).Select(i => new AccessRecord(Now.AddMinutes(-i), $"lab.{i}", [Role.Lab], false, RegistryAction.ReadPersonalData, AggregateKind.Donor, $"DR-0000000{i}", AccessOutcome.Masked, "label")).ToList();
        _storage.Write(() =>
        {
            foreach (var barcode in new[] { "T-3", "T-1", "T-2" })
            {
                _storage.Reports.InsertRecollection(new Recollection(barcode, new DonorId(1), barcode == "T-2" ? null : new DriveId("D-A"), Now, Today.AddDays(-30)));
            }

            _storage.Reports.AppendSearchLog([new SearchLogEntry(Now, 100, 3, 2), new SearchLogEntry(Now.AddDays(-2), 50, 0, 1), new SearchLogEntry(Now, 7, 7, 0)]);
            _storage.Access.Append(access.Take(3).ToList());
            return 0;
        });
        _storage.Write(() =>
        {
            _storage.Access.Append(access.Skip(3).ToList());
            return 0;
        });

        var recollections = _storage.Reports.ReadRecollections("", 2);
        recollections.Select(r => r.Barcode).Should().Equal("T-1", "T-2");
        recollections[1].Should().Be(new Recollection("T-2", new DonorId(1), null, Now, Today.AddDays(-30)));
        _storage.Reports.ReadRecollections("T-2", 2).Select(r => r.Barcode).Should().Equal("T-3");
        var searches = _storage.Reports.ReadSearchLog(0, 2);
        searches.Select(e => e.Entry).Should().Equal(new SearchLogEntry(Now, 100, 3, 2), new SearchLogEntry(Now.AddDays(-2), 50, 0, 1));
        _storage.Reports.ReadSearchLog(searches[^1].Number, 2).Select(e => e.Entry).Should().Equal(new SearchLogEntry(Now, 7, 7, 0));
        var entries = _storage.Access.ReadAfter(0, 3);
        entries.Select(e => e.Entry).Should().Equal(access.Take(3), "in the order written, not by instant");
        entries.Select(e => e.Number).Should().BeInAscendingOrder();
        _storage.Access.ReadAfter(entries[^1].Number, 10).Select(e => e.Entry).Should().Equal(access.Skip(3));
        _storage.Access.ReadAfter(long.MaxValue, 10).Should().BeEmpty();
    }

    [Test]
    public void AnAccessLogEntryInAWriteThatThrows_IsNotStored()
    {
        var act = () => _storage.Write<int>(() =>
        {
            _storage.Access.Append([new AccessRecord(Now, "x", [], false, RegistryAction.Search, null, null, AccessOutcome.Denied, "r")]);
            throw new InvalidOperationException("refused");
        });

        act.Should().Throw<InvalidOperationException>();
        _storage.Access.Find(new AccessQuery()).Should().BeEmpty();
    }

    // ---- Helpers ---------------------------------------------------------------------------------------

    private IRegistryStorage Open(bool create)
    {
        if (_schema is not null)
        {
            if (KeysOnServer)
            {
                var keys = new RegistryOptions { RegistryKey = _key }.UsePostgreSql(_schema.ConnectionString, keys: _schema.ConnectionString);
                return PgStorage.Open(_schema.ConnectionString, keys, _policy, Now, create, keysOnServer: true, _schema.ConnectionString);
            }

            var server = new RegistryOptions { RegistryKey = _key, KeyStorePath = Path.Combine(_folder, "contract.keys") }.UsePostgreSql(_schema.ConnectionString);
            return PgStorage.Open(_schema.ConnectionString, server, _policy, Now, create);
        }

        var options = new RegistryOptions
        {
            DatabasePath = IsFile ? Path.Combine(_folder, "contract.db") : RegistryOptions.InMemoryPath,
            RegistryKey = _key,
        };
        return LiteDbStorage.Open(options, _policy, Now, create: !IsFile || !File.Exists(options.DatabasePath));
    }

    private int InsertDonors(params NewDonor[] donors)
    {
        _storage.Donors.InsertEnrolled(donors);
        return donors.Length;
    }

    private static NewDonor Enrolled(int id) => new(Person(id), Number(), [0]);

    /// <summary>A national ID as the duplicate-person check gives it: a stored identity and the number's fingerprint.</summary>
    private static NationalIdentity Number() => new(Guid.NewGuid(), (ulong)Random.Shared.NextInt64());

    private static Donor Person(long id, DonorState state = DonorState.Enrolled, string? drive = null) =>
        new(new DonorId(id), new DonorProfile(Sex.Female, new DateOnly(2000, 1, 1), AboGroup.A, RhD.Positive, CmvStatus.Negative, drive is null ? null : new DriveId(drive)), Now)
        {
            State = state,
            Version = 1,
            StateSince = Now,
        };

    private static Drive NewDrive(string id) =>
        new(new DrivePlan(new DriveId(id), "中国传媒大学", DriveKind.Campus, "朝阳区红十字会", "礼堂", Today, Today.AddDays(1), 100), Now) { Version = 1 };

    private static SealedAuditRecord Sealed(AuditRecord record) => new(record, SealOf(record));

    // A seal the test can tell apart per record (the engine stores whatever the pipeline gives it).
    private static byte[] SealOf(AuditRecord record) =>
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{record.Kind}/{record.Id}/{record.Version}"))[..16];

    private static AuditRecord Record(AggregateKind kind, string id, int version) =>
        new(kind, id, version, "A", "B", "Step", "tester", null, Now.AddMinutes(version));
}
