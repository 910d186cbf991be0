using DonorRegistry.Access;
using DonorRegistry.Donors;
using DonorRegistry.Samples;
using DonorRegistry.Storage;
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
    public void ConsentsRecollectionsCountsAndTheLogs_AreCopied_MergedWithTheNationalCounts_Verified_AndNotCopiedTwice()
    {
        _schema = PostgreSqlServer.NewSchema("logs");
        using var branch = new RegistryFixture();
        var lab = Actor.For("lab.zhao", Role.Lab);
        var donors = new List<Donor>();
        foreach (var (day, drive) in new[] { (0, "PKU-2026-03"), (0, "THU-2026-01"), (1, "PKU-2026-03"), (2, "THU-2026-01"), (2, "") })
        {
            branch.Clock.SetUtcNow(RegistryFixture.Start.AddDays(day));
            donors.Add(branch.Enrol(drive.Length == 0 ? null : new DriveId(drive)));
        }

        foreach (var (donor, i) in donors.Select((d, i) => (d, i)))
        {
            branch.Registry.Samples.Collect(donor.Id, $"TUBE-A{i}", SampleKind.BuccalSwab, By);
        }

        branch.Clock.Advance(TimeSpan.FromDays(1));
        foreach (var i in new[] { 0, 3 })
        {
            branch.Registry.Samples.Reject($"TUBE-A{i}", "haemolysed", By);
            branch.Registry.Samples.Collect(donors[i].Id, $"TUBE-B{i}", SampleKind.BloodEdta, By); // a re-collection
        }
        branch.Registry.Care.GivePublicityConsent(donors[0].Id, By);
        branch.Registry.Care.GivePublicityConsent(donors[1].Id, By);
        branch.Clock.Advance(TimeSpan.FromHours(3));
        branch.Registry.Care.WithdrawPublicityConsent(donors[1].Id, By); // given, then withdrawn
        branch.Donors.GetPersonalData(donors[2].Id, lab, "check the tube label");
        branch.Donors.GetPersonalData(donors[4].Id, lab, "check the tube label");
        branch.Registry.Search.Find(new SearchRequest(HlaTyping.FromLoci(DonorRegistry.FakeData.Volunteers.Typing(DateOnly.MinValue).Loci)));
        var firstDay = DateOnly.FromDateTime(RegistryFixture.Start.UtcDateTime);
        var branchTotals = branch.Registry.Storage.Reports.SumCounts(firstDay.AddDays(-1), firstDay.AddDays(5), null);
        branch.Registry.Dispose();
        var nationalKey = RegistryKey.Generate();
        using (var national = Registry.Create(Target(nationalKey)))
        {
            // The national registry already counted on one of the branch's days, drives and metrics.
            national.Storage.Write(() =>
            {
                national.Storage.Reports.AddCount(firstDay, new DriveId("PKU-2026-03"), Metric.Enrolled, 10);
                return 0;
            });
        }

        var seen = new List<ImportProgress>();
        var result = PostgreSqlRegistry.ImportFrom(branch.DatabasePath, branch.Key, Target(nationalKey), new SynchronousProgress(seen.Add));

        result.Copied["publicity consents"].Should().Be(2);
        result.Copied["re-collections"].Should().Be(2);
        result.Copied["access log"].Should().BeGreaterThanOrEqualTo(2);
        result.Copied["search log"].Should().Be(1);
        result.Copied["daily counts"].Should().BeGreaterThan(8, "three drives and no drive, three days, four metrics");
        seen.Should().Contain(p => p.Step == "daily counts" && p.Copied == p.Total);
        var verification = PostgreSqlRegistry.VerifyImport(branch.DatabasePath, branch.Key, Target(nationalKey));
        verification.IsClean.Should().BeTrue(string.Join("\n", verification.Checks));
        verification.Checks.Should().Contain(c => c.What == "publicity consents" && c.Expected == 2 && c.ExpectedDigest == c.ActualDigest);
        verification.Checks.Should().Contain(c => c.What == "daily counts (1 added to the national registry's own)" && c.Expected == c.Actual && c.ExpectedDigest == c.ActualDigest);
        verification.Checks.Should().Contain(c => c.What == "access log" && c.Expected == result.Copied["access log"] && c.Actual == c.Expected);

        using (var national = Registry.Open(Target(nationalKey)))
        {
            national.Care.HasPublicityConsent(donors[0].Id).Should().BeTrue("recognitions need the consent, which moved");
            national.Care.HasPublicityConsent(donors[1].Id).Should().BeFalse();
            national.Storage.Donations.ReadPublicityConsents(donors[1].Id.Value - 1, 1).Single().History.Select(h => h.Consent).Should().Equal(true, false);
            national.Storage.Reports.FindRecollections(DateTimeOffset.MinValue, DateTimeOffset.MaxValue).Select(r => r.Barcode).Should().BeEquivalentTo("TUBE-B0", "TUBE-B3");
            var totals = national.Storage.Reports.SumCounts(firstDay.AddDays(-1), firstDay.AddDays(5), null);
            totals[Metric.Enrolled].Should().Be(branchTotals[Metric.Enrolled] + 10);
            totals[Metric.SamplesCollected].Should().Be(branchTotals[Metric.SamplesCollected]);
            national.Storage.Access.Find(new AccessQuery(Kind: AggregateKind.Donor, Id: donors[4].Id.ToString())).Should().ContainSingle().Which.Actor.Should().Be("lab.zhao");
        }

        var again = PostgreSqlRegistry.ImportFrom(branch.DatabasePath, branch.Key, Target(nationalKey));
        again.Resumed.Should().BeTrue();
        again.Copied.Should().BeEquivalentTo(result.Copied, "a finished import run again copies nothing more");
        Count("publicity_history").Should().Be(3);
        Count("recollections").Should().Be(2);
        Count("search_log").Should().Be(1);
        Count("access_log").Should().Be(result.Copied["access log"]);
        PostgreSqlRegistry.VerifyImport(branch.DatabasePath, branch.Key, Target(nationalKey)).IsClean.Should().BeTrue();

        Execute("UPDATE publicity_history SET actor = 'someone.else' WHERE consent = false");
        Execute("UPDATE daily_counts SET n = n - 1 WHERE metric = 'samples_collected' AND drive = 'THU-2026-01'");
        Execute("DELETE FROM recollections WHERE barcode = 'TUBE-B3'");
        Execute("UPDATE access_log SET reason = 'nothing to see' WHERE subject = '" + donors[4].Id + "'");
        Execute("UPDATE search_log SET matches = matches + 1");
        var tampered = PostgreSqlRegistry.VerifyImport(branch.DatabasePath, branch.Key, Target(nationalKey));
        tampered.IsClean.Should().BeFalse();
        tampered.Checks.Where(c => c.Problem is not null).Select(c => c.What.Split(" (")[0]).Should().BeEquivalentTo("publicity consents", "daily counts", "re-collections", "access log", "search log");
        tampered.Checks.Single(c => c.What == "publicity consents").Problem.Should().Be("0 missing, 1 differ, 0 not in the branch");
        tampered.Checks.Single(c => c.What == "re-collections").Problem.Should().Be("1 missing, 0 differ, 0 not in the branch");
        tampered.Checks.Single(c => c.What == "access log").Problem.Should().Be("1 of the branch's entries are not in the target");
    }

    [Test]
    public void AnImportKilledInTheCountsAndInTheAccessLog_GoesOn_AddingEachCountOnce_AndCopyingEachEntryOnce()
    {
        _schema = PostgreSqlServer.NewSchema("resumelogs");
        using var branch = new RegistryFixture();
        var storage = branch.Registry.Storage;
        var firstDay = DateOnly.FromDateTime(RegistryFixture.Start.UtcDateTime);
        storage.Write(() =>
        {
            for (var day = 0; day < 600; day++)
            {
                storage.Reports.AddCounts([new DailyCount(firstDay.AddDays(-day), new DriveId("PKU-2026-03"), Metric.Enrolled, 1 + day % 5), new DailyCount(firstDay.AddDays(-day), null, Metric.Listed, 2)]);
            }

            storage.Access.Append(Enumerable.Range(0, 6_000).Select(i => new AccessRecord(RegistryFixture.Start.AddSeconds(i), "lab.zhao", [Role.Lab], false, RegistryAction.ReadPersonalData, AggregateKind.Donor, $"DR-{i:00000000}", AccessOutcome.Masked, "check the tube label")).ToList());
            return 0;
        });
        var branchTotals = storage.Reports.SumCounts(firstDay.AddDays(-700), firstDay, null);
        branch.Registry.Dispose();
        var nationalKey = RegistryKey.Generate();

        foreach (var (step, after) in new[] { ("daily counts", 1_000L), ("access log", 5_000L) })
        {
            var killed = () => PostgreSqlRegistry.ImportFrom(branch.DatabasePath, branch.Key, Target(nationalKey), new SynchronousProgress(p =>
            {
                if (p.Step == step && p.Copied >= after)
                {
                    throw new OperationCanceledException($"killed in the {step}");
                }
            }));
            killed.Should().Throw<OperationCanceledException>();
        }

        Count("daily_counts").Should().Be(1_200, "the counts finished on the second run");
        Count("access_log").Should().Be(5_000, "one page committed with its checkpoint");

        var result = PostgreSqlRegistry.ImportFrom(branch.DatabasePath, branch.Key, Target(nationalKey));

        result.Copied["access log"].Should().Be(6_000);
        Count("access_log").Should().Be(6_000);
        using (var national = Registry.Open(Target(nationalKey)))
        {
            national.Storage.Reports.SumCounts(firstDay.AddDays(-700), firstDay, null).Should().BeEquivalentTo(branchTotals, "each count was added once");
        }

        PostgreSqlRegistry.VerifyImport(branch.DatabasePath, branch.Key, Target(nationalKey)).IsClean.Should().BeTrue();
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

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(_schema!.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

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
