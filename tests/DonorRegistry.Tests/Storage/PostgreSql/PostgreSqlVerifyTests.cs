using DonorRegistry.Care;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.PostgreSql;
using DonorRegistry.Samples;
using DonorRegistry.Tests.Support;
using DonorRegistry.Verification;
using FluentAssertions;
using Npgsql;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage.PostgreSql;

/// <summary>
/// <see cref="Registry.Verify"/> on PostgreSQL (<see cref="PgVerifier"/>): a sound registry verifies clean, with its keys
/// in a key-store file or on the server; damage made with SQL behind the library's back is found and named: a sealed
/// blob or a field of a document changed, audit records deleted or changed, a key row deleted, a search row that
/// disagrees with its donor, a table gone, a column that disagrees with its document. A server that does not answer is
/// the library's exception. Ignored without DONORREGISTRY_PG.
/// </summary>
public sealed class PostgreSqlVerifyTests
{
    private const string By = "coordinator.li";
    private PostgreSqlServer.Schema? _schema;
    private RegistryFixture? _fixture;

    public enum Keys
    {
        /// <summary>A key-store file beside the server database (ADR 18).</summary>
        File,

        /// <summary>A keys schema on the server, through the records' login (ADR 20).</summary>
        Server,
    }

    private RegistryFixture Fx => _fixture!;

    [TearDown]
    public void TearDown()
    {
        _fixture?.Dispose();
        _fixture = null;
        _schema?.Dispose();
        _schema = null;
    }

    [TestCase(Keys.File)]
    [TestCase(Keys.Server)]
    public void Verify_OnASoundRegistry_WithDonorsSamplesACaseADriveCareAndAWithdrawal_IsClean(Keys keys)
    {
        NewRegistry(keys);
        Populate();

        var report = Fx.Registry.Verify();

        report.IsClean.Should().BeTrue(report.ToString());
        report.DocumentsRead.Should().BeGreaterThan(10 + 40, "every row of every table and every audit record is read");

        Fx.Reopen();
        Fx.Registry.Search.BuildIndex().Should().BeGreaterThan(0);
        Fx.Registry.Verify().IsClean.Should().BeTrue("the search index built from the stored rows agrees too");
    }

    [Test]
    public void Verify_ASealedPersonalDataBlobChangedInADonorDocument_IsUndecodable_NamingTheDonor()
    {
        NewRegistry(Keys.Server);
        var donor = Fx.DonorIn(DonorState.Enrolled);
        var blob = Convert.FromBase64String(Scalar<string>("SELECT doc -> 'pd' ->> '$binary' FROM donors WHERE id = $1", donor.Id.Value));
        blob[^1] ^= 0x01;
        Sql("UPDATE donors SET doc = jsonb_set(doc, '{pd,$binary}', to_jsonb($2::text)) WHERE id = $1", donor.Id.Value, Convert.ToBase64String(blob));

        var problems = Fx.Registry.Verify().Problems;

        problems.Should().ContainSingle().Which.Should().Match<VerificationProblem>(p =>
            p.Kind == VerificationProblemKind.Undecodable && p.Collection == "donors (sealed personal data)" && p.Id == donor.Id.ToString());
    }

    [Test]
    public void Verify_ADonorsStateChangedInItsDocument_NamesTheColumnThatDisagrees_AndTheAuditTrail()
    {
        NewRegistry(Keys.File);
        var donor = Fx.DonorIn(DonorState.Enrolled);
        Sql("UPDATE donors SET doc = jsonb_set(doc, '{state}', '\"Ineligible\"') WHERE id = $1", donor.Id.Value);

        var problems = Fx.Registry.Verify().Problems;

        problems.Should().Contain(p => p.Kind == VerificationProblemKind.IndexMismatch && p.Collection == "donors" && p.Id == donor.Id.ToString()
            && p.Expected.Contains("'state'") && p.Found == "Enrolled");
        problems.Should().Contain(p => p.Kind == VerificationProblemKind.AuditMismatch && p.Collection == "audit (Donor)" && p.Id == donor.Id.ToString());
    }

    [Test]
    public void Verify_ADocumentThatDoesNotDecode_IsUndecodable_AndTheOtherRowsAreStillRead()
    {
        NewRegistry(Keys.File);
        var donor = Fx.DonorIn(DonorState.Enrolled);
        var other = Fx.DonorIn(DonorState.Enrolled);
        Sql("UPDATE donors SET doc = jsonb_set(doc, '{v}', '\"seven\"') WHERE id = $1", donor.Id.Value);

        var problems = Fx.Registry.Verify().Problems;

        problems.Should().Contain(p => p.Kind == VerificationProblemKind.Undecodable && p.Collection == "donors" && p.Id == donor.Id.ToString());
        problems.Should().NotContain(p => p.Id == other.Id.ToString());
    }

    [Test]
    public void Verify_AnAuditRowChanged_BreaksTheChainThere()
    {
        NewRegistry(Keys.File);
        var donor = Fx.DonorIn(DonorState.Available);
        Sql("UPDATE audit SET actor = 'someone.else' WHERE kind = 'Donor' AND subject = $1 AND version = 2", donor.Id.ToString());

        var problems = Fx.Registry.Verify().Problems;

        problems.Should().ContainSingle().Which.Should().Match<VerificationProblem>(p =>
            p.Kind == VerificationProblemKind.AuditChainBroken && p.Collection == "audit (Donor)" && p.Id == $"{donor.Id} v2");
    }

    [Test]
    public void Verify_AuditRowsDeleted_ReportTheStateWithoutItsAuditRecord_AndTheRecordWithoutItsTrail()
    {
        NewRegistry(Keys.File);
        var latest = Fx.DonorIn(DonorState.Available);
        var all = Fx.DonorIn(DonorState.Enrolled);
        Sql("DELETE FROM audit WHERE kind = 'Donor' AND subject = $1 AND version = $2", latest.Id.ToString(), latest.Version);
        Sql("DELETE FROM audit WHERE kind = 'Donor' AND subject = $1", all.Id.ToString());

        var problems = Fx.Registry.Verify().Problems;

        problems.Should().BeEquivalentTo(
        [
            new VerificationProblem(VerificationProblemKind.AuditMismatch, "audit (Donor)", latest.Id.ToString(), $"the latest audit record at version {latest.Version}, to state Available", $"version {latest.Version - 1}, to state Typed"),
            new VerificationProblem(VerificationProblemKind.MissingAuditRecord, "audit (Donor)", all.Id.ToString(), "audit records for versions 1 to 1", "none"),
        ]);
    }

    [Test]
    public void Verify_AKeyRowDeletedForADonorWithKeptPersonalData_IsAKeySlotProblem_ButAWithdrawnDonorNeedsNone()
    {
        NewRegistry(Keys.Server);
        var donor = Fx.DonorIn(DonorState.Enrolled);
        Fx.DonorIn(DonorState.Withdrawn);
        Sql($"DELETE FROM \"{_schema!.Name}_keys\".donor_keys WHERE donor = $1", donor.Id.Value);

        var problems = Fx.Registry.Verify().Problems;

        problems.Should().ContainSingle().Which.Should().Be(new VerificationProblem(
            VerificationProblemKind.KeySlot, "key store", donor.Id.ToString(), "a key slot for a donor whose personal data is kept", "an empty slot"));
    }

    [Test]
    public void Verify_ASearchRowThatDisagreesWithItsDonorDocument_OrIsMissing_OrIsAnothersRow_IsFound()
    {
        NewRegistry(Keys.File);
        var edited = Fx.DonorIn(DonorState.Available);
        var copied = Fx.DonorIn(DonorState.Available);
        var gone = Fx.DonorIn(DonorState.Available);
        // The document's CMV status changes: no column or audit record holds it, the donor's search row does.
        Sql("""UPDATE donors SET doc = jsonb_set(doc, '{cmv}', CASE WHEN doc ->> 'cmv' = 'Negative' THEN '"Positive"' ELSE '"Negative"' END::jsonb) WHERE id = $1""", edited.Id.Value);
        Sql("UPDATE donor_search SET row = (SELECT row FROM donor_search WHERE id = $2) WHERE id = $1", copied.Id.Value, gone.Id.Value); // its checksum names the other donor
        Sql("DELETE FROM donor_search WHERE id = $1", gone.Id.Value);

        var problems = Fx.Registry.Verify().Problems;

        problems.Should().Contain(p => p.Kind == VerificationProblemKind.SearchRowMismatch && p.Collection == "donor_search" && p.Id == edited.Id.ToString() && p.Found == "a row whose profile or typing differs");
        problems.Should().Contain(p => p.Kind == VerificationProblemKind.Undecodable && p.Collection == "donor_search" && p.Id == copied.Id.ToString() && p.Expected.Contains("checksum"));
        problems.Should().Contain(p => p.Kind == VerificationProblemKind.SearchRowMismatch && p.Id == gone.Id.ToString() && p.Found == "none");
        problems.Should().OnlyContain(p => p.Collection == "donor_search", "nothing else holds the CMV status");
    }

    [Test]
    public void Verify_AColumnThatDisagreesWithItsDocument_AndANumberThatNamesNoRow_AreFound()
    {
        NewRegistry(Keys.File);
        var donor = Fx.DonorIn(DonorState.Enrolled);
        var deleted = Fx.DonorIn(DonorState.Enrolled);
        Fx.Registry.Samples.Collect(donor.Id, "TUBE-7", SampleKind.BloodEdta, By);
        Sql("UPDATE samples SET donor = donor + 1000 WHERE id = 'TUBE-7'");
        Sql("DELETE FROM donors WHERE id = $1", deleted.Id.Value);

        var problems = Fx.Registry.Verify().Problems;

        problems.Should().Contain(p => p.Kind == VerificationProblemKind.IndexMismatch && p.Collection == "samples" && p.Id == "TUBE-7" && p.Expected.Contains("'donor'"));
        problems.Should().Contain(p => p.Kind == VerificationProblemKind.MissingDocument && p.Collection == "donors" && p.Id == deleted.Id.ToString() && p.Found == "no document");
        problems.Should().Contain(p => p.Kind == VerificationProblemKind.MissingDocument && p.Collection == "donors" && p.Expected.StartsWith("every number from 1 to", StringComparison.Ordinal));
    }

    [Test]
    public void Verify_ATableTheServerCannotRead_IsUnreadable_AndTheOtherChecksGoOn()
    {
        NewRegistry(Keys.File);
        var donor = Fx.DonorIn(DonorState.Available);
        Sql("ALTER TABLE donor_search RENAME TO donor_search_moved");
        Sql("UPDATE audit SET actor = 'someone.else' WHERE kind = 'Donor' AND subject = $1 AND version = 1", donor.Id.ToString());

        var problems = Fx.Registry.Verify().Problems;

        problems.Should().Contain(p => p.Kind == VerificationProblemKind.Unreadable && p.Collection == "donor_search" && p.Found.StartsWith("the search rows check stopped", StringComparison.Ordinal));
        problems.Should().Contain(p => p.Kind == VerificationProblemKind.Unreadable && p.Collection == "donor_search" && p.Found == "no such table");
        problems.Should().Contain(p => p.Kind == VerificationProblemKind.AuditChainBroken && p.Id == $"{donor.Id} v1", "the snapshot goes on after the check that stopped");
    }

    [Test]
    public void Verify_RightAfterAnotherInstanceChangedDonors_DoesNotBlameTheSearchIndexForChangesItHasNotHeardOfYet()
    {
        NewRegistry(Keys.Server);
        var typed = Enumerable.Range(0, 5).Select(_ => Fx.DonorIn(DonorState.Typed)).ToList();
        var listed = Fx.DonorIn(DonorState.Available);
        Fx.Registry.Search.BuildIndex().Should().Be(1);
        using var other = Registry.Open(Fx.Options());

        foreach (var donor in typed)
        {
            other.Donors.List(donor.Id, By);
        }

        other.Donors.Reserve(listed.Id, new CaseReference("CASE-0042"), By);
        var report = Fx.Registry.Verify(); // whether or not this instance's change feed has applied them yet

        report.IsClean.Should().BeTrue(report.ToString());
    }

    [Test]
    public void Verify_WithAmcheckInstalled_ChecksEveryIndexAgainstItsTable_AndASoundRegistryIsClean()
    {
        NewRegistry(Keys.File);
        Populate();
        try
        {
            Sql($"CREATE EXTENSION amcheck SCHEMA \"{_schema!.Name}\""); // dropped with the schema
        }
        catch (PostgresException e)
        {
            Assert.Ignore($"the server has no amcheck extension to install ({e.MessageText})");
        }

        var report = Fx.Registry.Verify();

        report.IsClean.Should().BeTrue(report.ToString());
    }

    [Test]
    public void Verify_WhenTheServerDoesNotAnswer_ThrowsTheLibrarysException_NotTheDriversOne()
    {
        _schema = PostgreSqlServer.NewSchema("verify");
        var connection = new NpgsqlConnectionStringBuilder(_schema.ConnectionString) { CommandTimeout = 2 }.ConnectionString;
        _fixture = new RegistryFixture(postgreSql: connection);
        Fx.DonorIn(DonorState.Enrolled);
        using var holder = new NpgsqlConnection(_schema.ConnectionString);
        holder.Open();
        using var transaction = holder.BeginTransaction();
        using (var lockTable = new NpgsqlCommand("LOCK TABLE donors IN ACCESS EXCLUSIVE MODE", holder, transaction))
        {
            lockTable.ExecuteNonQuery();
        }

        var verify = () => Fx.Registry.Verify();

        verify.Should().Throw<RegistryUnavailableException>().Which.Server.Should().Contain(_schema.Name);
        transaction.Rollback();
        Fx.Registry.Verify().IsClean.Should().BeTrue("the next verification reads on a new connection");
    }

    /// <summary>A drive with a lecture and a donor enrolled through it; donors in many states; samples and a shipment; a case, a donation record with consent and a recognition; a withdrawal.</summary>
    private void Populate()
    {
        var drive = new DriveId("PKU-2026-03");
        Fx.Registry.Drives.Plan(new DrivePlan(drive, "北京大学 2026 春季招募", DriveKind.Campus, "海淀区红十字会", "北京大学百年纪念讲堂", Fx.Today, Fx.Today.AddDays(2), 300, true), By);
        Fx.Registry.Drives.OpenEnrolment(drive, By);
        Fx.Registry.Drives.RecordLecture(drive, "北京大学百年纪念讲堂", Fx.Today, 120, "王医生", By);
        Fx.Enrol(drive);
        foreach (var state in new[] { DonorState.Enrolled, DonorState.Ineligible, DonorState.Available, DonorState.TemporarilyUnavailable, DonorState.Reserved, DonorState.Removed, DonorState.Withdrawn })
        {
            Fx.DonorIn(state);
        }

        var donor = Fx.Enrol();
        Fx.Registry.Samples.Collect(donor.Id, "TUBE-1", SampleKind.BloodEdta, By);
        Fx.Registry.Samples.Ship("lab", ["TUBE-1"], By);
        Fx.Registry.Samples.Receive(["TUBE-1"], By);

        var listed = Fx.DonorIn(DonorState.Available);
        var matchCase = Fx.Registry.Cases.Open(listed.Id, "PAT-0001", By);
        Fx.Registry.Care.RecordDonation(listed.Id, new DonationDetails(matchCase.Id, DonationProduct.Pbsc, Fx.Today, Fx.Today, 5, "北京大学人民医院采集中心", DonationOutcome.Completed), By);
        Fx.Registry.Care.GivePublicityConsent(listed.Id, By);
        Fx.Registry.Care.Recognise(listed.Id, RecognitionKind.Certificate, "捐献证书", Fx.Today, By);
        Fx.Registry.Search.BuildIndex();
    }

    private void NewRegistry(Keys keys)
    {
        _schema = PostgreSqlServer.NewSchema("verify");
        var records = _schema.ConnectionString;
        _fixture = new RegistryFixture(postgreSql: records, configure: keys == Keys.Server ? o =>
        {
            o.KeyStorePath = null;
            o.UsePostgreSql(records, keys: records);
        } : null);
    }

    /// <summary>Runs a statement in the registry's schema, behind the library's back.</summary>
    private void Sql(string sql, params object[] values)
    {
        using var connection = new NpgsqlConnection(_schema!.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        command.ExecuteNonQuery();
    }

    private T Scalar<T>(string sql, params object[] values)
    {
        using var connection = new NpgsqlConnection(_schema!.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return (T)command.ExecuteScalar()!;
    }
}
