using DonorRegistry.Audit;
using DonorRegistry.Donors;
using DonorRegistry.Storage;
using DonorRegistry.Storage.LiteDb;
using DonorRegistry.Tests.Storage;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using LiteDB;
using NUnit.Framework;

namespace DonorRegistry.Tests.Audit;

/// <summary>
/// The audit trail is tamper-evident: each record is sealed to the one before it of the same record, under a key
/// derived from the registry key, so an edited, removed or transplanted record breaks the chain at that record.
/// </summary>
public sealed class AuditChainTests
{
    private const string By = "coordinator.li";
    private RegistryFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    [Test]
    public void Trails_OfEveryVerbOfEveryKind_HoldTogether()
    {
        var kinds = new HashSet<AggregateKind>();
        foreach (var verb in ChangePipelineTests.Verbs())
        {
            using var fx = new RegistryFixture();
            var id = verb.Arrange(fx);
            verb.Act(fx, id, verb.VersionOf(fx, id));
            fx.Donors.EnrolMany([fx.Volunteers.Next(fx.Today), fx.Volunteers.Next(fx.Today)], By);

            Breaks(fx).Should().BeEmpty(verb.Name);
            kinds.UnionWith(Enum.GetValues<AggregateKind>().Where(kind => fx.Registry.Writes.Storage.Audit.Scan(kind).Any()));
        }

        kinds.Should().BeEquivalentTo(Enum.GetValues<AggregateKind>(), "every kind of record was changed");
    }

    [Test]
    public void Trail_WithOneFieldEditedInTheFile_BreaksAtThatRecord()
    {
        var donor = _fx.DonorIn(DonorState.Available);
        var other = _fx.DonorIn(DonorState.Available);

        EditFile(db => Edit(db.GetCollection(DonorDocuments.AuditCollection), DonorDocuments.AuditId(donor.Id, 3), d => d["actor"] = "someone.else"));

        Breaks().Should().ContainSingle()
            .Which.Should().Match<AuditChainBreak>(b => b.Kind == AggregateKind.Donor && b.Id == donor.Id.ToString() && b.Version == 3 && b.Problem.Contains("chain link does not match"));
        _ = other;
    }

    [Test]
    public void Verify_WithAnAuditRecordEditedInTheFile_ReportsTheBrokenChainAtThatRecord()
    {
        var donor = _fx.DonorIn(DonorState.Available);
        _fx.Registry.Verify().IsClean.Should().BeTrue();

        EditFile(db => Edit(db.GetCollection(DonorDocuments.AuditCollection), DonorDocuments.AuditId(donor.Id, 2), d => d["reason"] = "TUBE-FORGED"));

        var report = _fx.Registry.Verify();
        report.Problems.Should().ContainSingle()
            .Which.Should().Match<DonorRegistry.Verification.VerificationProblem>(p =>
                p.Kind == DonorRegistry.Verification.VerificationProblemKind.AuditChainBroken && p.Collection == DonorDocuments.AuditCollection && p.Id == $"{donor.Id} v2");
    }

    [Test]
    public void Trail_WithAStateEditedInTheFile_BreaksAtThatRecordEvenWhenTheSealIsCopiedAlong()
    {
        var donor = _fx.DonorIn(DonorState.TemporarilyUnavailable);

        // Someone rewrites version 2's state and copies version 1's chain link over it: still no match.
        EditFile(db =>
        {
            var audit = db.GetCollection(DonorDocuments.AuditCollection);
            var first = audit.FindById(DonorDocuments.AuditId(donor.Id, 1));
            Edit(audit, DonorDocuments.AuditId(donor.Id, 2), d =>
            {
                d["to"] = "Available";
                d["chain"] = first["chain"];
            });
        });

        Breaks().Should().ContainSingle().Which.Version.Should().Be(2);
    }

    [Test]
    public void Trail_WithARecordRemovedFromTheFile_NamesTheMissingVersion()
    {
        var donor = _fx.DonorIn(DonorState.Available);

        EditFile(db => db.GetCollection(DonorDocuments.AuditCollection).Delete(DonorDocuments.AuditId(donor.Id, 2)).Should().BeTrue());

        Breaks().Should().ContainSingle()
            .Which.Should().Match<AuditChainBreak>(b => b.Version == 2 && b.Problem.Contains("version 2 is missing"));
    }

    [Test]
    public void Trail_OfASample_WithItsReasonEdited_BreaksAtThatRecord()
    {
        var reject = ChangePipelineTests.Verbs().Single(v => v.Name == "Samples.Reject");
        var barcode = reject.Arrange(_fx);
        reject.Act(_fx, barcode, null);
        var version = _fx.Registry.Samples.Get(barcode).Version;

        EditFile(db => Edit(db.GetCollection(SampleDocuments.AuditCollection), $"{barcode}:{version:D6}", d => d["reason"] = "运输延误"));

        Breaks().Should().ContainSingle()
            .Which.Should().Match<AuditChainBreak>(b => b.Kind == AggregateKind.Sample && b.Id == barcode && b.Version == version);
    }

    [Test]
    public void Trail_WithARecordSealedUnderAnotherRegistryKey_Breaks()
    {
        var donor = _fx.DonorIn(DonorState.Typed);
        var record = _fx.Registry.GetHistory(AggregateKind.Donor, donor.Id.ToString())[^1];
        var foreign = new AuditChain(RegistryKey.Generate());
        var previous = _fx.Registry.Writes.Storage.Audit.SealOf(AggregateKind.Donor, donor.Id.ToString(), record.Version - 1)!;

        EditFile(db => Edit(db.GetCollection(DonorDocuments.AuditCollection), DonorDocuments.AuditId(donor.Id, record.Version), d => d["chain"] = foreign.Seal(previous, record)));

        Breaks().Should().ContainSingle().Which.Version.Should().Be(record.Version);
    }

    [Test]
    public void Trail_AfterAWriteThatRolledBack_ChainsToTheCommittedRecordNotTheDiscardedOne()
    {
        var donor = _fx.DonorIn(DonorState.Available);
        var writes = _fx.Registry.Writes;

        // A write that sealed a change of the donor and then failed: its seal must not be what the next change chains to.
        var failing = () => writes.Write<Donor>(By, DonorRegistry.Access.RegistryAction.Defer, scope =>
        {
            scope.Change(writes.Donor, donor.Id, null, "Defer", "rolled back", d => DonorLifecycle.For(d, new EligibilityPolicy(), _fx.Today).Defer(_fx.Today.AddDays(9), "rolled back"));
            throw new InvalidOperationException("the write fails after its audit record");
        });
        failing.Should().Throw<InvalidOperationException>();
        _fx.Donors.Defer(donor.Id, _fx.Today.AddDays(30), "出差", By);
        _fx.Donors.EndDeferral(donor.Id, By);

        Breaks().Should().BeEmpty();
        _fx.Registry.GetHistory(AggregateKind.Donor, donor.Id.ToString()).Select(r => r.Reason).Should().NotContain("rolled back");
    }

    [Test]
    public void Seal_OfTheSameRecord_DiffersWithEveryField()
    {
        var chain = new AuditChain(_fx.Key);
        var record = new AuditRecord(AggregateKind.Case, "CASE-1", 2, "Open", "Contacted", "ContactDonor", By, null, RegistryFixture.Start);
        var seal = chain.Seal([1, 2, 3], record);

        AuditRecord[] changed =
        [
            record with { Kind = AggregateKind.Drive }, record with { Id = "CASE-2" }, record with { Version = 3 },
            record with { From = "Contacted" }, record with { To = "Open" }, record with { Action = "Cancel" },
            record with { Actor = "coordinator.wu" }, record with { Reason = string.Empty }, record with { At = record.At.AddMilliseconds(1) },
        ];

        byte[] previous = [1, 2, 3];
        changed.Where(r => chain.Holds(previous, r, seal)).Should().BeEmpty();
        chain.Holds(new byte[] { 1, 2, 4 }, record, seal).Should().BeFalse("the seal covers the record before it");
        chain.Holds(previous, record, seal).Should().BeTrue();
    }

    private static void Edit(ILiteCollection<BsonDocument> collection, BsonValue id, Action<BsonDocument> change)
    {
        // A careful editor also rewrites the document's own content seal (an unkeyed hash anyone can compute), so
        // the document still decodes; only the keyed chain can tell.
        var document = collection.FindById(id) ?? throw new AssertionException($"the file holds no record {id}");
        change(document);
        collection.Update(Seal.Apply(document)).Should().BeTrue();
    }

    private static IReadOnlyList<AuditChainBreak> Breaks(RegistryFixture fx) => AuditChainCheck.Run(fx.Registry.Writes.Storage.Audit, fx.Registry.Writes.Pipeline.Chain);

    private IReadOnlyList<AuditChainBreak> Breaks() => Breaks(_fx);

    // Edits the closed registry's file with LiteDB itself, as someone with the file and no key would, then reopens it.
    private void EditFile(Action<LiteDatabase> edit)
    {
        _fx.Registry.Dispose();
        using (var files = DatabaseFiles.Open(_fx.DatabasePath, inMemory: false, null, null, LiteDbStorage.CreateMapper(), Durability.Durable, LocalDisk.Instance))
        {
            edit(files.Database);
        }

        _fx.Open();
    }
}
