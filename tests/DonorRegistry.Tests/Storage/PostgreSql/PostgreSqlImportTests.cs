using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.PostgreSql;
using DonorRegistry.Search;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using Npgsql;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage.PostgreSql;

/// <summary>
/// Moving a branch's LiteDB registry into PostgreSQL (ADR 22): everything copied, personal data readable under the
/// national key and not the branch's, the search and the duplicate check working there, a killed import resumed
/// without duplicates, and the verification of counts and audit-trail checksums. Ignored without DONORREGISTRY_PG.
/// </summary>
public sealed class PostgreSqlImportTests
{
    private const string By = "coordinator.li";
    private PostgreSqlServer.Schema? _schema;

    [TearDown]
    public void TearDown() => _schema?.Dispose();

    [Test]
    public void ABranch_IsCopiedWhole_WithItsPersonalDataUnderTheNationalKey_AndVerifies()
    {
        _schema = PostgreSqlServer.NewSchema("import");
        using var branch = new RegistryFixture();
        var available = branch.DonorIn(DonorState.Available);
        var donated = branch.DonorIn(DonorState.Donated);
        var withdrawn = branch.DonorIn(DonorState.Withdrawn);
        var enrolled = branch.Donors.EnrolMany(branch.Volunteers.Many(30, branch.Today).ToArray(), By);
        var personal = branch.Donors.GetPersonalData(available.Id, By, "a test");
        branch.Registry.Dispose();
        var nationalKey = RegistryKey.Generate();
        var target = Target(nationalKey);
        var seen = new List<ImportProgress>();

        var result = PostgreSqlRegistry.ImportFrom(branch.DatabasePath, branch.Key, target, new SynchronousProgress(seen.Add));

        result.Copied["donors"].Should().Be(33);
        seen.Should().Contain(p => p.Step == "donors" && p.Copied == 33);
        var verification = PostgreSqlRegistry.VerifyImport(branch.DatabasePath, branch.Key, Target(nationalKey));
        verification.IsClean.Should().BeTrue(string.Join("\n", verification.Checks));
        verification.Checks.Should().Contain(c => c.What == "audit trails Donor" && c.Expected == 33 && c.ExpectedDigest == c.ActualDigest);

        using var national = Registry.Open(Target(nationalKey));
        national.Donors.GetPersonalData(available.Id, By, "a test").Should().Be(personal);
        national.Donors.FindByNationalId(personal.NationalId).Should().Be(available.Id, "the identity was computed again under the national key");
        national.Donors.Get(donated.Id).State.Should().Be(DonorState.Donated);
        var erased = () => national.Donors.GetPersonalData(withdrawn.Id, By, "a test");
        erased.Should().Throw<PersonalDataErasedException>();
        national.Donors.GetHistory(available.Id).Should().HaveCount(BranchHistory(branch, available.Id));
        national.Search.Find(new SearchRequest(HlaTyping.FromLoci(DonorRegistry.FakeData.Volunteers.Typing(DateOnly.MinValue).Loci))).Matches.Select(m => m.DonorId).Should().Contain(available.Id);
        national.Donors.Enrol(branch.Volunteers.Next(branch.Today), By).Id.Value.Should().BeGreaterThan(enrolled[^1].Id.Value, "numbers go on after the branch's");

        var withBranchKey = () => Registry.Open(Target(branch.Key));
        withBranchKey.Should().Throw<RegistryKeyMismatchException>();
    }

    [Test]
    public void AnImportKilledHalfWay_GoesOnWhenRunAgain_WithoutCopyingAnythingTwice()
    {
        _schema = PostgreSqlServer.NewSchema("resume");
        using var branch = new RegistryFixture();
        branch.Donors.EnrolMany(branch.Volunteers.Many(1_200, branch.Today).ToArray(), By);
        branch.Registry.Dispose();
        var nationalKey = RegistryKey.Generate();

        var killed = () => PostgreSqlRegistry.ImportFrom(branch.DatabasePath, branch.Key, Target(nationalKey), new SynchronousProgress(p =>
        {
            if (p.Step == "donors" && p.Copied >= 1_000)
            {
                throw new OperationCanceledException("killed after two batches");
            }
        }));
        killed.Should().Throw<OperationCanceledException>();
        Count("donors").Should().Be(1_000, "two batches committed with their checkpoint");

        var result = PostgreSqlRegistry.ImportFrom(branch.DatabasePath, branch.Key, Target(nationalKey));

        result.Resumed.Should().BeTrue();
        Count("donors").Should().Be(1_200);
        Count("audit").Should().Be(1_200);
        Count($"{_schema.Name}_keys\".\"donor_keys").Should().Be(1_200);
        PostgreSqlRegistry.VerifyImport(branch.DatabasePath, branch.Key, Target(nationalKey)).IsClean.Should().BeTrue();
        PostgreSqlRegistry.ImportFrom(branch.DatabasePath, branch.Key, Target(nationalKey)).Copied["donors"].Should().Be(1_200, "a finished import run again copies nothing more");
        Count("donors").Should().Be(1_200);
    }

    [Test]
    public void ImportFrom_RefusesATargetThatIsNotOnPostgreSql_AndMissingArguments()
    {
        var key = RegistryKey.Generate();
        var lite = new RegistryOptions { DatabasePath = "x.db", RegistryKey = key };

        FluentActions.Invoking(() => PostgreSqlRegistry.ImportFrom("branch.db", key, lite)).Should().Throw<RegistryValidationException>().Which.Field.Should().Be("target");
        FluentActions.Invoking(() => PostgreSqlRegistry.ImportFrom(" ", key, lite)).Should().Throw<RegistryValidationException>().Which.Field.Should().Be("liteDbPath");
        FluentActions.Invoking(() => PostgreSqlRegistry.ImportFrom("branch.db", null!, lite)).Should().Throw<RegistryValidationException>().Which.Field.Should().Be("branchKey");
    }

    private static int BranchHistory(RegistryFixture branch, DonorId id)
    {
        using var reopened = Registry.Open(branch.Options());
        return reopened.Donors.GetHistory(id).Count;
    }

    private RegistryOptions Target(RegistryKey key) =>
        new RegistryOptions { RegistryKey = key }.UsePostgreSql(_schema!.ConnectionString, keys: _schema.ConnectionString);

    private long Count(string table)
    {
        using var connection = new NpgsqlConnection(_schema!.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\"", connection);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
