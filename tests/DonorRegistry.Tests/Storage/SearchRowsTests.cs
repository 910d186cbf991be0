using DonorRegistry.Donors;
using DonorRegistry.Storage.LiteDb;
using DonorRegistry.Tests.Support;
using DonorRegistry.Verification;
using FluentAssertions;
using FsCheck;
using FsCheck.Fluent;
using LiteDB;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage;

/// <summary>The compact search rows the donor store keeps beside the donors, from which the search index is built (ADR 13, 16).</summary>
[TestFixture]
public sealed class SearchRowsTests
{
    private const string By = "coordinator.li";

    [Test]
    public void SearchRows_AreKeptForExactlyTheListedTypedDonors_InEveryListedState_ThroughEveryVerb()
    {
        using var fx = new RegistryFixture();
        var enrolled = fx.DonorIn(DonorState.Enrolled);
        var typed = fx.DonorIn(DonorState.Typed);
        var available = fx.DonorIn(DonorState.Available);
        var reserved = fx.DonorIn(DonorState.Reserved);
        var deferred = fx.DonorIn(DonorState.TemporarilyUnavailable);
        var donated = fx.DonorIn(DonorState.Donated);
        var withdrawn = fx.DonorIn(DonorState.Withdrawn);

        var removed = fx.DonorIn(DonorState.Removed);

        RowIds(fx).Should().Equal(available.Id.Value, reserved.Id.Value, deferred.Id.Value, donated.Id.Value);
        _ = (enrolled, typed, withdrawn, removed);

        fx.Donors.EndDeferral(deferred.Id, By);
        fx.Donors.Withdraw(available.Id, By);
        fx.Donors.Remove(donated.Id, RemovalReason.Moved, "搬家", By);

        RowIds(fx).Should().Equal(reserved.Id.Value, deferred.Id.Value);
        fx.Registry.Verify().Problems.Should().BeEmpty();
    }

    [Test]
    public void SearchRow_SaysWhatTheDonorRecordSays_WithTheStateOfTheRecord()
    {
        using var fx = new RegistryFixture();
        var donor = fx.DonorIn(DonorState.Available);
        var reserved = fx.DonorIn(DonorState.Reserved);
        fx.DonorIn(DonorState.TemporarilyUnavailable);
        fx.DonorIn(DonorState.Donated);

        var rows = fx.Registry.Store.Donors.ScanForSearch(DonorSearchRows.SearchStates).ToList();

        rows.Select(r => (r.Id, r.State, r.Version)).Should().Equal(
            (donor.Id.Value, DonorState.Available, 0), // an available donor's version is not in the row (ADR 16)
            (reserved.Id.Value, DonorState.Reserved, reserved.Version));
        var row = rows[0];
        row.BirthDate.Should().Be(donor.Profile.BirthDate);
        row.Sex.Should().Be(donor.Profile.Sex);
        row.Cmv.Should().Be(donor.Profile.Cmv);
        row.Abo.Should().Be(donor.Profile.Abo);
        row.Loci.Should().BeEquivalentTo(donor.Typing!.Loci);
    }

    [Test]
    public void SearchRows_AfterAnyWalkOfVerbs_MatchTheDonorsAndBuildTheSameIndexAsTheDonorDocuments()
    {
        // A random walk of listed donors through deferral, reservation, release, donation, removal and withdrawal:
        // after each walk the rows are exactly the listed, typed donors, and Verify finds nothing.
        var steps = Gen.ListOf(Gen.Choose(0, 6), 12).Select(list => list.ToArray());
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(15), Prop.ForAll(Arb.From(steps), walk =>
        {
            using var fx = new RegistryFixture();
            var donors = Enumerable.Range(0, 3).Select(_ => fx.DonorIn(DonorState.Available).Id).ToArray();
            for (var i = 0; i < walk.Length; i++)
            {
                var id = donors[i % donors.Length];
                var state = fx.Donors.Get(id).State;
                try
                {
                    _ = (walk[i], state) switch
                    {
                        (0, DonorState.Available) => fx.Donors.Defer(id, fx.Today.AddDays(10), "出差", By),
                        (1, DonorState.TemporarilyUnavailable) => fx.Donors.EndDeferral(id, By),
                        (2, DonorState.Available) => fx.Donors.Reserve(id, new CaseReference($"CASE-{id.Value}-{i}"), By),
                        (3, DonorState.Reserved) => fx.Donors.RecordDonation(id, DonationProduct.Pbsc, fx.Today, By),
                        (4, DonorState.Available or DonorState.TemporarilyUnavailable) => fx.Donors.Remove(id, RemovalReason.Moved, "搬家", By),
                        (5, _) when state is not DonorState.Withdrawn => fx.Donors.Withdraw(id, By),
                        _ => fx.Donors.Get(id),
                    };
                }
                catch (DonorRegistryException)
                {
                    // A verb the lifecycle refuses in this state changes nothing; the walk goes on.
                }
            }

            var listed = donors.Select(fx.Donors.Get).Where(d => DonorSearchRows.IsRowState(d.State)).Select(d => d.Id.Value).Order();
            RowIds(fx).Should().Equal(listed);
            fx.Registry.Verify().Problems.Should().BeEmpty();
        }));
    }

    [Test]
    public void SearchRow_WithAChangedByte_IsNamedDamageWhenTheIndexIsBuilt_AndVerifyReportsIt()
    {
        using var fx = new RegistryFixture();
        var donor = fx.DonorIn(DonorState.Available);
        var rows = fx.Registry.Store.Database.GetCollection(DonorSearchRows.Collection);
        var document = rows.FindById(donor.Id.Value);
        var bytes = document["r"].AsBinary;
        bytes[5] ^= 0x04; // a byte of the birth day
        document["r"] = bytes;
        rows.Update(document);

        var build = () => fx.Registry.Search.BuildIndex();

        var damage = build.Should().Throw<RegistryDamagedException>().Which;
        damage.Collection.Should().Be(DonorSearchRows.Collection);
        damage.DocumentId.Should().Be(donor.Id.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        damage.Expected.Should().Contain("checksum");
        fx.Registry.Verify().Problems.Should().ContainSingle(p => p.Kind == VerificationProblemKind.Undecodable && p.Collection == DonorSearchRows.Collection);
    }

    [Test]
    public void SearchRows_MissingOrLeftBehind_AreReportedByVerify()
    {
        using var fx = new RegistryFixture();
        var listed = fx.DonorIn(DonorState.Available);
        var removed = fx.DonorIn(DonorState.Removed);
        var changed = fx.DonorIn(DonorState.TemporarilyUnavailable);
        var rows = fx.Registry.Store.Database.GetCollection(DonorSearchRows.Collection);
        rows.Delete(listed.Id.Value).Should().BeTrue();
        var stale = fx.Donors.Get(removed.Id);
        stale.State = DonorState.Available; // the row it had before it was removed
        rows.Insert(DonorSearchRows.ToDocument(stale));
        var other = fx.Donors.Get(changed.Id);
        other.Profile = other.Profile with { Cmv = other.Profile.Cmv == CmvStatus.Positive ? CmvStatus.Negative : CmvStatus.Positive };
        rows.Update(DonorSearchRows.ToDocument(other));

        var problems = fx.Registry.Verify().Problems;

        problems.Should().Contain(p => p.Kind == VerificationProblemKind.SearchRowMismatch && p.Id == listed.Id.ToString() && p.Found == "none");
        problems.Should().Contain(p => p.Kind == VerificationProblemKind.SearchRowMismatch && p.Id == removed.Id.ToString() && p.Found == "a row for a donor who is not listed");
        problems.Should().Contain(p => p.Kind == VerificationProblemKind.SearchRowMismatch && p.Id == changed.Id.ToString() && p.Found == "a row whose profile or typing differs");
    }

    [Test]
    public void RegistryOfSchemaOne_GainsItsSearchRowsWhenOpened_AndSearchesAsBefore()
    {
        using var fx = new RegistryFixture();
        var donors = Enumerable.Range(0, 5).Select(_ => fx.DonorIn(DonorState.Available)).ToList();
        fx.DonorIn(DonorState.Reserved);
        fx.DonorIn(DonorState.TemporarilyUnavailable);
        var patient = DonorRegistry.Hla.HlaTyping.FromLoci(donors[0].Typing!.Loci);
        var before = fx.Registry.Search.FindByLinearScan(new DonorRegistry.Search.SearchRequest(patient)).Matches.Select(m => m.DonorId).ToList();

        // Make the file what an earlier version of the library wrote: no search rows, schema 1.
        var db = fx.Registry.Store.Database;
        db.DropCollection(DonorSearchRows.Collection);
        var meta = db.GetCollection(Meta).FindById(Meta);
        meta["schema"] = 1;
        db.GetCollection(Meta).Update(meta);
        db.Checkpoint();
        fx.Reopen();

        RowIds(fx).Should().HaveCount(7);
        fx.Registry.Store.Database.GetCollection(Meta).FindById(Meta)["schema"].AsInt32.Should().Be(3);
        fx.Registry.Search.Find(new DonorRegistry.Search.SearchRequest(patient)).Matches.Select(m => m.DonorId).Should().Equal(before);
        fx.Registry.Verify().Problems.Should().BeEmpty();
    }

    [Test]
    public void RegistryOfSchemaTwo_HasItsRowsRewrittenInTheCurrentLayout_WhenOpened()
    {
        using var fx = new RegistryFixture();
        var available = fx.DonorIn(DonorState.Available);
        var deferred = fx.DonorIn(DonorState.TemporarilyUnavailable);

        // Schema 2 kept rows only for available and reserved donors, in a layout with the state and version.
        var db = fx.Registry.Store.Database;
        var rows = db.GetCollection(DonorSearchRows.Collection);
        rows.DeleteAll();
        rows.Insert(new BsonDocument { ["_id"] = available.Id.Value, ["r"] = new byte[] { 3, 0, 0, 0, 5, 1, 2, 3 } });
        var meta = db.GetCollection(Meta).FindById(Meta);
        meta["schema"] = 2;
        db.GetCollection(Meta).Update(meta);
        db.Checkpoint();
        fx.Reopen();

        RowIds(fx).Should().Equal(available.Id.Value, deferred.Id.Value);
        fx.Registry.Store.Database.GetCollection(Meta).FindById(Meta)["schema"].AsInt32.Should().Be(3);
        fx.Registry.Search.BuildIndex().Should().Be(1);
        fx.Registry.Verify().Problems.Should().BeEmpty();
    }

    [Test]
    public void DeferralAndItsEnd_LeaveTheRowAsItWas_AndTheIndexFollowsTheState()
    {
        using var fx = new RegistryFixture();
        var donor = fx.DonorIn(DonorState.Available);
        fx.Registry.Search.BuildIndex().Should().Be(1);
        var rows = fx.Registry.Store.Database.GetCollection(DonorSearchRows.Collection);
        var before = rows.FindById(donor.Id.Value)["r"].AsBinary;

        fx.Donors.Defer(donor.Id, fx.Today.AddDays(10), "出差", By);
        rows.FindById(donor.Id.Value)["r"].AsBinary.Should().Equal(before);
        fx.Registry.Search.BuildIndex().Should().Be(0, "a deferred donor is not searchable");
        fx.Reopen();
        fx.Registry.Search.BuildIndex().Should().Be(0, "the index built from the rows takes the state from the record");

        fx.Donors.EndDeferral(donor.Id, By);
        rows = fx.Registry.Store.Database.GetCollection(DonorSearchRows.Collection);
        rows.FindById(donor.Id.Value)["r"].AsBinary.Should().Equal(before);
        fx.Registry.Search.BuildIndex().Should().Be(1);
        fx.Registry.Verify().Problems.Should().BeEmpty();
    }

    /// <summary>The header's collection and document id (both "registry").</summary>
    private const string Meta = "registry";

    private static List<long> RowIds(RegistryFixture fx) =>
        fx.Registry.Store.Database.GetCollection(DonorSearchRows.Collection).FindAll().Select(d => d["_id"].AsInt64).Order().ToList();
}
