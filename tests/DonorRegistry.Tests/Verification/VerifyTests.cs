using DonorRegistry.Donors;
using DonorRegistry.Storage.LiteDb;
using DonorRegistry.Tests.Support;
using DonorRegistry.Verification;
using FluentAssertions;
using LiteDB;
using NUnit.Framework;

namespace DonorRegistry.Tests.Verification;

/// <summary>
/// <see cref="Registry.Verify"/> and the damage it names: documents edited, deleted or retyped in the file behind the
/// library's back, audit records removed, key slots and sealed personal data changed.
/// </summary>
public sealed class VerifyTests
{
    private RegistryFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    private ILiteCollection<BsonDocument> Donors => _fx.Registry.Store.Database.GetCollection(DonorDocuments.Collection);

    [Test]
    public void Verify_OnASoundRegistryWithDonorsInManyStates_IsClean()
    {
        foreach (var state in new[] { DonorState.Enrolled, DonorState.Ineligible, DonorState.Available, DonorState.TemporarilyUnavailable, DonorState.Reserved, DonorState.Removed, DonorState.Withdrawn })
        {
            _fx.DonorIn(state);
        }

        _fx.Registry.Search.BuildIndex().Should().Be(2);

        var report = _fx.Registry.Verify();

        report.IsClean.Should().BeTrue(report.ToString());
        report.DocumentsRead.Should().BeGreaterThan(7 + 20, "every donor and every audit record is read");
        report.ToString().Should().StartWith("clean");
    }

    [Test]
    public void AFieldEditedInTheFile_ReadsAsRegistryDamaged_NamingFileCollectionAndDonor_AndVerifyReportsIt()
    {
        var donor = _fx.DonorIn(DonorState.Available);
        var other = _fx.DonorIn(DonorState.Available);
        var document = Donors.FindById(donor.Id.Value);
        document["birth"] = document["birth"].AsInt32 + 1; // an older donor, by one day: a valid-looking value
        Donors.Update(document);

        var read = () => _fx.Donors.Get(donor.Id);

        var damage = read.Should().Throw<RegistryDamagedException>().Which;
        damage.Path.Should().Be(_fx.DatabasePath);
        damage.Collection.Should().Be("donors");
        damage.DocumentId.Should().Be(donor.Id.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        damage.Expected.Should().Contain("seal");
        damage.Message.Should().Contain(_fx.DatabasePath).And.Contain("Verify");
        _fx.Donors.Get(other.Id).Should().NotBeNull("the damage is in one document only");
        _fx.Registry.Verify().Problems.Should().ContainSingle(p => p.Kind == VerificationProblemKind.Undecodable && p.Collection == "donors" && p.Id == damage.DocumentId);
    }

    [Test]
    public void AFieldOfTheWrongType_NamesTheFieldAndTheTypeExpected()
    {
        var donor = _fx.DonorIn(DonorState.Enrolled);
        var document = Donors.FindById(donor.Id.Value);
        document["v"] = "seven";
        Donors.Update(Seal.Apply(document)); // resealed: only the type is wrong

        var read = () => _fx.Donors.Get(donor.Id);

        read.Should().Throw<RegistryDamagedException>().Which.Expected.Should().Be("field 'v' to hold a 32-bit whole number (found String)");
    }

    [Test]
    public void AMissingRequiredField_IsRegistryDamaged_NotANullReference()
    {
        var donor = _fx.DonorIn(DonorState.Enrolled);
        var history = _fx.Registry.Store.Database.GetCollection(DonorDocuments.AuditCollection);
        var record = history.FindById(DonorDocuments.AuditId(donor.Id, 1));
        record.Remove("at");
        history.Update(Seal.Apply(record));

        var read = () => _fx.Donors.GetHistory(donor.Id);

        read.Should().Throw<RegistryDamagedException>().Which.Expected.Should().Be("field 'at' to hold an instant (found nothing)");
    }

    [Test]
    public void Verify_AnAuditRecordDeleted_ReportsTheStateWithoutItsAuditRecord()
    {
        var donor = _fx.DonorIn(DonorState.Available);
        _fx.Registry.Store.Database.GetCollection(DonorDocuments.AuditCollection).Delete(DonorDocuments.AuditId(donor.Id, donor.Version)).Should().BeTrue();

        var report = _fx.Registry.Verify();

        report.IsClean.Should().BeFalse();
        report.Problems.Should().ContainSingle().Which.Should().Be(new VerificationProblem(
            VerificationProblemKind.AuditMismatch, "donor_audit", donor.Id.ToString(), $"the latest audit record at version {donor.Version}, to state Available", $"version {donor.Version - 1}, to state Typed"));
    }

    [Test]
    public void Verify_ADonorDocumentDeleted_ReportsItMissing_FromItsAuditTrailAndTheIdSequence()
    {
        var gone = _fx.DonorIn(DonorState.Enrolled);
        _fx.DonorIn(DonorState.Enrolled);
        Donors.Delete(gone.Id.Value).Should().BeTrue();

        var problems = _fx.Registry.Verify().Problems;

        problems.Should().Contain(p => p.Kind == VerificationProblemKind.MissingDocument && p.Collection == "donors" && p.Id == gone.Id.ToString() && p.Found == "no document");
        problems.Should().Contain(p => p.Kind == VerificationProblemKind.MissingDocument && p.Collection == "donors" && p.Expected.StartsWith("every number from 1 to 2", StringComparison.Ordinal));
    }

    [Test]
    public void AKeySlotChangedInTheKeyStore_ReadsAsRegistryDamaged_NotAnAuthenticationTagMismatch()
    {
        var donor = _fx.DonorIn(DonorState.Enrolled);
        _fx.Registry.Dispose();
        using (var keys = new FileStream(_fx.KeyStorePath, FileMode.Open, FileAccess.ReadWrite))
        {
            keys.Position = 64 + (donor.Id.Value * 64) + 20; // inside the wrapped key
            var b = keys.ReadByte();
            keys.Position--;
            keys.WriteByte((byte)(b ^ 0x40));
        }

        _fx.Open();
        var read = () => _fx.Donors.GetPersonalData(donor.Id, "coordinator.li", "read back in a test");

        var damage = read.Should().Throw<RegistryDamagedException>().Which;
        damage.Path.Should().Be(_fx.KeyStorePath);
        damage.DocumentId.Should().Be(donor.Id.ToString());
        damage.InnerException.Should().BeAssignableTo<System.Security.Cryptography.CryptographicException>();
        _fx.Registry.Verify().Problems.Should().ContainSingle(p => p.Kind == VerificationProblemKind.KeySlot && p.Id == donor.Id.ToString());
    }

    [Test]
    public void ASealedPersonalDataBlobChanged_ReadsAsRegistryDamaged()
    {
        var donor = _fx.DonorIn(DonorState.Enrolled);
        var document = Donors.FindById(donor.Id.Value);
        var blob = document["pd"].AsBinary;
        blob[^1] ^= 0x01;
        document["pd"] = blob;
        Donors.Update(Seal.Apply(document));

        var read = () => _fx.Donors.GetPersonalData(donor.Id, "coordinator.li", "read back in a test");

        read.Should().Throw<RegistryDamagedException>().Which.Collection.Should().Be("donors (sealed personal data)");
        _fx.Registry.Verify().Problems.Should().ContainSingle(p => p.Kind == VerificationProblemKind.Undecodable && p.Id == donor.Id.ToString());
    }

    [Test]
    public void Verify_AStateChangedBehindTheLibrary_ReportsTheAuditTrailTheSearchRowAndTheSearchIndex()
    {
        var donor = _fx.DonorIn(DonorState.Available);
        _fx.Registry.Search.BuildIndex().Should().Be(1);
        var document = Donors.FindById(donor.Id.Value);
        document["state"] = nameof(DonorState.Removed);
        Donors.Update(Seal.Apply(document));

        var kinds = _fx.Registry.Verify().Problems.Select(p => (p.Kind, p.Id)).ToList();

        kinds.Should().Contain((VerificationProblemKind.AuditMismatch, donor.Id.ToString()));
        kinds.Should().Contain((VerificationProblemKind.SearchRowMismatch, donor.Id.ToString()));
        kinds.Should().Contain((VerificationProblemKind.SearchIndexMismatch, donor.Id.ToString()));
    }

    [Test]
    public void Verify_ADocumentWithoutASeal_IsReportedAsUnsealed()
    {
        var donor = _fx.DonorIn(DonorState.Enrolled);
        var document = Donors.FindById(donor.Id.Value);
        document.Remove(Seal.Field);
        Donors.Update(document);

        _fx.Donors.Get(donor.Id).Should().BeEquivalentTo(donor, "an unsealed document is read unchecked");
        _fx.Registry.Verify().Problems.Should().ContainSingle().Which.Kind.Should().Be(VerificationProblemKind.Unsealed);
    }
}
