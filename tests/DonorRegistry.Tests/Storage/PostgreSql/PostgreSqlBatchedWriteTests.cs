using DonorRegistry.Audit;
using DonorRegistry.Donors;
using DonorRegistry.PostgreSql;
using DonorRegistry.Storage;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using Npgsql;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage.PostgreSql;

/// <summary>
/// A write's statements on PostgreSQL are deferred and sent as one batch before its next read or its commit (ADR 18's
/// amendment): what a verb stores, the checks it makes and the failures it meets are as when each statement went alone.
/// </summary>
public sealed class PostgreSqlBatchedWriteTests
{
    private const string By = "coordinator.li";
    private PostgreSqlServer.Schema? _schema;

    [TearDown]
    public void TearDown()
    {
        _schema?.Dispose();
        _schema = null;
    }

    [Test]
    public void ATransition_StoresTheRowItsAuditRecordAndOneChangeRow_AndNotifiesOncePerCommit()
    {
        using var fx = NewRegistry();
        var donor = fx.Enrol();
        fx.ListTyped(donor.Id, FakeData.Volunteers.Typing(fx.Today).Loci, By);
        var changesBefore = Count("SELECT count(*) FROM changes");
        using var listener = new NpgsqlConnection(_schema!.ConnectionString);
        listener.Open();
        var notifications = new List<string>();
        listener.Notification += (_, e) => notifications.Add(e.Payload);
        using (var listen = new NpgsqlCommand($"LISTEN {PgSchema.ChannelOf(_schema.Name)}", listener))
        {
            listen.ExecuteNonQuery();
        }

        var deferred = fx.Donors.Defer(donor.Id, fx.Today.AddDays(30), "travelling", By);
        var ended = fx.Donors.EndDeferral(donor.Id, By);

        ended.Version.Should().Be(deferred.Version + 1);
        Count($"SELECT version FROM donors WHERE id = {donor.Id.Value}").Should().Be(ended.Version);
        fx.Donors.GetHistory(donor.Id).TakeLast(2).Select(r => r.Action).Should().Equal("Defer", "EndDeferral");
        Count("SELECT count(*) FROM changes").Should().Be(changesBefore + 2, "one change row per commit");
        var seqs = List("SELECT seq FROM changes ORDER BY seq DESC LIMIT 2");
        while (notifications.Count < 2 && listener.Wait(TimeSpan.FromSeconds(5)))
        {
        }

        notifications.Select(n => long.Parse(n.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).Should().Equal(seqs.OrderBy(s => s), "one notification per commit, in commit order");
        notifications.Select(n => Guid.Parse(n.Split(' ')[1])).Should().AllBeEquivalentTo(((PgStorage)fx.Registry.Storage).Origin, "each names the instance that made it");
        var feed = ((PgStorage)fx.Registry.Storage).Feed!;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (feed.Applied < seqs.Max() && waited.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(10);
        }

        feed.Applied.Should().Be(seqs.Max(), "the feed follows this instance's own changes by their notifications");
        listener.Wait(TimeSpan.FromMilliseconds(200)).Should().BeFalse("no second notification for either commit");
    }

    [Test]
    public void AStaleVersion_DeferredToTheBatch_IsRefusedWithConcurrentUpdate_AndNothingOfTheWriteIsStored()
    {
        using var fx = NewRegistry();
        var donor = fx.Enrol();
        var storage = fx.Registry.Storage;
        var loaded = storage.Donors.Find(donor.Id)!;
        fx.Donors.ScreenOut(donor.Id, "低血红蛋白", By); // the row moves to version 2 after the load
        var before = Snapshot();

        var act = () => storage.Write(() =>
        {
            loaded.Value.StatusNote = "stale";
            loaded.Value.Version++;
            storage.Audit.Append(new AuditRecord(AggregateKind.Donor, donor.Id.ToString(), 9, "Enrolled", "Enrolled", "Test", By, null, fx.Clock.GetUtcNow()), [1, 2, 3]);
            storage.Donors.Update(loaded);
            storage.Reports.AddCount(fx.Today, null, "test", 1);
            return 0;
        });

        act.Should().Throw<ConcurrentUpdateException>().Which.Should().Match<ConcurrentUpdateException>(e => e.ExpectedVersion == 1 && e.ActualVersion == 2);
        Snapshot().Should().Equal(before, "the audit record, the count and the change row went back with the write");
        fx.Donors.Get(donor.Id).Should().Match<Donor>(d => d.State == DonorState.Ineligible && d.Version == 2);
    }

    [Test]
    public void ABatchTheServerRefusesHalfWay_LeavesTheStoredDataExactlyAsItWas_AndSaysWhatItsStatementMeant()
    {
        using var fx = NewRegistry();
        var donor = fx.Enrol();
        var storage = fx.Registry.Storage;
        var before = Snapshot();

        // The second audit record repeats the first's version: its unique key refuses it, after the first went in.
        var act = () => storage.Write(() =>
        {
            var loaded = storage.Donors.Find(donor.Id)!;
            loaded.Value.StatusNote = "half way";
            loaded.Value.Version++;
            storage.Donors.Update(loaded);
            storage.Audit.Append(new AuditRecord(AggregateKind.Donor, donor.Id.ToString(), 2, "Enrolled", "Enrolled", "Test", By, null, fx.Clock.GetUtcNow()), [1]);
            storage.Audit.Append(new AuditRecord(AggregateKind.Donor, donor.Id.ToString(), 2, "Enrolled", "Enrolled", "Test", By, null, fx.Clock.GetUtcNow()), [2]);
            return 0;
        });

        act.Should().Throw<ConcurrentUpdateException>().Which.Should().Match<ConcurrentUpdateException>(e => e.ExpectedVersion == 1 && e.ActualVersion == 2);
        Snapshot().Should().Equal(before);
        fx.Donors.Get(donor.Id).Should().Match<Donor>(d => d.Version == 1 && d.StatusNote != "half way");
    }

    [Test]
    public void AWrite_ReadsWhatItsDeferredStatementsStore_BeforeTheyCommit()
    {
        using var fx = NewRegistry();
        var donor = fx.Enrol();
        var storage = fx.Registry.Storage;

        var (inside, count) = storage.Write(() =>
        {
            var loaded = storage.Donors.Find(donor.Id)!;
            loaded.Value.StatusNote = "read back";
            loaded.Value.Version++;
            storage.Donors.Update(loaded);
            storage.Reports.AddCount(fx.Today, null, "test", 3);
            return (storage.Donors.Find(donor.Id)!.Value, storage.Reports.SumCounts(fx.Today, fx.Today, null)["test"]);
        });

        inside.Should().Match<Donor>(d => d.Version == 2 && d.StatusNote == "read back");
        count.Should().Be(3);
    }

    [Test]
    public void AConnectionLostBeforeTheBatch_IsTheLibrarysException_AndNothingOfTheWriteIsStored()
    {
        using var fx = NewRegistry();
        var donor = fx.Enrol();
        var storage = (PgStorage)fx.Registry.Storage;
        var before = Snapshot();

        var act = () => storage.Write(() =>
        {
            var loaded = storage.Donors.Find(donor.Id)!;
            var pid = storage.Database.Scalar<int>("reading the write's server process", "SELECT pg_backend_pid()");
            loaded.Value.StatusNote = "lost";
            loaded.Value.Version++;
            storage.Donors.Update(loaded);
            Count($"SELECT CASE WHEN pg_terminate_backend({pid}, 5000) THEN 1 ELSE 0 END").Should().Be(1, "the server ended the write's session");
            return 0;
        });

        act.Should().Throw<RegistryUnavailableException>().Which.Message.Should().Contain("storing donor");
        Snapshot().Should().Equal(before);
        fx.Donors.Get(donor.Id).Version.Should().Be(1);
        fx.Donors.ScreenOut(donor.Id, "next verb", By).Version.Should().Be(2, "the next write gets a working connection");
    }

    [TestCase("Host=127.0.0.1;Password=secret", 64)]
    [TestCase("Host=127.0.0.1;Max Auto Prepare=0", 0)]
    [TestCase("Host=127.0.0.1;MaxAutoPrepare=8", 8)]
    public void TheRecordsConnection_PreparesItsStatements_UnlessTheConnectionStringSaysHowMany_AndNamesARefusedBatchStatement(string connectionString, int prepared)
    {
        var tuned = PgStorage.Tuned(connectionString, new NpgsqlConnectionStringBuilder(connectionString));

        tuned.MaxAutoPrepare.Should().Be(prepared);
        tuned.IncludeFailedBatchedCommand.Should().BeTrue();
        tuned.Host.Should().Be("127.0.0.1");
    }

    private RegistryFixture NewRegistry()
    {
        _schema = PostgreSqlServer.NewSchema("batched");
        return new RegistryFixture(postgreSql: _schema.ConnectionString);
    }

    // What a write may store: the rows of each table it touches, counted, and the donors' versions and documents.
    private List<long> Snapshot() =>
    [
        Count("SELECT count(*) FROM audit"),
        Count("SELECT count(*) FROM changes"),
        Count("SELECT count(*) FROM daily_counts"),
        Count("SELECT coalesce(sum(n), 0) FROM daily_counts"),
        Count("SELECT coalesce(sum(version), 0) FROM donors"),
        Count("SELECT coalesce(sum(length(doc::text)), 0) FROM donors"),
        Count("SELECT coalesce((SELECT next FROM sequences WHERE name = 'change'), 0)"),
    ];

    private long Count(string sql) => List(sql).Single();

    private List<long> List(string sql)
    {
        using var connection = new NpgsqlConnection(_schema!.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var values = new List<long>();
        while (reader.Read())
        {
            values.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return values;
    }
}
