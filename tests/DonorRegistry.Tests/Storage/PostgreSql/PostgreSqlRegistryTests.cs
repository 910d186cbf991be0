using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Hla;
using DonorRegistry.PostgreSql;
using DonorRegistry.Samples;
using DonorRegistry.Search;
using DonorRegistry.Storage;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using Npgsql;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage.PostgreSql;

/// <summary>
/// The whole registry on PostgreSQL (ADR 18), through <see cref="Registry.Create"/> with <c>UsePostgreSql</c>: the verbs,
/// the search, the history, a second instance on the same schema, a verb that fails, the migrations, and a server that
/// cannot be reached. Each test gets a schema of its own on the server DONORREGISTRY_PG names; without it they are
/// ignored with the reason (the unreachable-server tests need no server and always run).
/// </summary>
public sealed class PostgreSqlRegistryTests
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
    public void ADonor_GoesFromEnrolmentThroughSampleAndTypingToTheSearch_AndItsHistoryIsKept()
    {
        using var fx = NewRegistry();
        var donor = fx.Enrol();
        fx.Registry.Samples.Collect(donor.Id, "TUBE-1", SampleKind.BloodEdta, By);
        fx.Registry.Samples.Ship("lab", ["TUBE-1"], By);
        fx.Registry.Samples.Receive(["TUBE-1"], By);
        fx.Registry.Samples.RecordTyping("TUBE-1", Volunteers.Typing(fx.Today), By);
        var listed = fx.Donors.List(donor.Id, By);

        listed.State.Should().Be(DonorState.Available);
        fx.Registry.Samples.Get("TUBE-1").State.Should().Be(SampleState.Typed);
        fx.Donors.FindByState(DonorState.Available).Select(d => d.Id).Should().Equal(donor.Id);
        fx.Donors.GetPersonalData(donor.Id, "coordinator.li", "read back in a test").Should().NotBeNull();
        Search(fx.Registry).Should().Equal(donor.Id);
        fx.Donors.GetHistory(donor.Id).Select(r => r.To).Should().Equal("Enrolled", "SampleCollected", "Typed", "Available");
        fx.Registry.Samples.GetHistory("TUBE-1").Select(r => r.To).Should().Equal("Collected", "Shipped", "Received", "Typed");
        fx.Registry.DatabasePath.Should().StartWith("postgresql://").And.Contain(_schema!.Name);

        fx.Reopen();

        fx.Donors.Get(donor.Id).Should().BeEquivalentTo(listed);
        Search(fx.Registry).Should().Equal([donor.Id], "the index is built from the stored search rows");
        fx.Donors.GetHistory(donor.Id).Should().HaveCount(4);
    }

    [Test]
    public void AWithdrawal_ErasesThePersonalDataAndTheSearchRow_AndThePersonMayEnrolAgain_ButNotTwice()
    {
        using var fx = NewRegistry();
        var donor = fx.Enrol();
        fx.ListTyped(donor.Id, Volunteers.Typing(fx.Today).Loci, By);
        var personal = fx.Donors.GetPersonalData(donor.Id, "coordinator.li", "read back in a test");
        Search(fx.Registry).Should().Equal(donor.Id);

        fx.Donors.Withdraw(donor.Id, By);
        fx.Reopen();

        Search(fx.Registry).Should().BeEmpty("the search row left with the listing");
        var read = () => fx.Donors.GetPersonalData(donor.Id, "coordinator.li", "read back in a test");
        read.Should().Throw<PersonalDataErasedException>();
        fx.Donors.FindByNationalId(personal.NationalId).Should().BeNull();
        var again = fx.Donors.Enrol(new EnrolmentRequest(donor.Profile, personal), By);
        fx.Donors.FindByNationalId(personal.NationalId).Should().Be(again.Id);
        var twice = () => fx.Donors.Enrol(new EnrolmentRequest(donor.Profile, personal), By);
        twice.Should().Throw<DuplicateDonorException>().Which.ExistingDonorId.Should().Be(again.Id);
    }

    [Test]
    public void AStaleVersion_IsRefused_AndNothingIsStored()
    {
        using var fx = NewRegistry();
        var donor = fx.Enrol();
        fx.Donors.ScreenOut(donor.Id, "低血红蛋白", By, expectedVersion: 1);

        var stale = () => fx.Donors.ScreenOut(donor.Id, "again", By, expectedVersion: 1);

        stale.Should().Throw<ConcurrentUpdateException>().Which.ActualVersion.Should().Be(2);
        fx.Donors.GetHistory(donor.Id).Should().HaveCount(2);
    }

    [Test]
    public void TwoInstancesOnOneSchema_SeeEachOthersCommits_AndAnUpdateOverAChangedRowIsRefused()
    {
        using var fx = NewRegistry();
        var donor = fx.Enrol();
        var keysCopy = Path.Combine(fx.Folder, "second.keys");
        fx.Registry.Dispose(); // the key store is locked while open: the second instance gets a copy of it
        File.Copy(fx.KeyStorePath, keysCopy);
        File.Copy(global::DonorRegistry.Protection.WithdrawalLedger.PathFor(fx.KeyStorePath), global::DonorRegistry.Protection.WithdrawalLedger.PathFor(keysCopy));
        fx.Open();
        var options = fx.Options();
        options.KeyStorePath = keysCopy;
        using var second = Registry.Open(options);

        second.Donors.ScreenOut(donor.Id, "低血红蛋白", By);
        fx.Donors.Get(donor.Id).State.Should().Be(DonorState.Ineligible, "the first instance reads the second one's commit");

        // The race the version check closes: the first instance loaded the row, the second changed it, the first stores.
        var first = fx.Registry.Storage;
        var loaded = first.Donors.Find(donor.Id)!;
        second.Donors.Rescreen(donor.Id, By);
        loaded.Value.StatusNote = "stale";
        loaded.Value.Version++;
        var act = () => first.Write(() =>
        {
            first.Donors.Update(loaded);
            return 0;
        });

        act.Should().Throw<ConcurrentUpdateException>().Which.Should().Match<ConcurrentUpdateException>(e => e.Kind == AggregateKind.Donor && e.ExpectedVersion == 2 && e.ActualVersion == 3);
        fx.Donors.Get(donor.Id).Should().Match<Donor>(d => d.State == DonorState.Enrolled && d.StatusNote != "stale" && d.Version == 3);
    }

    [Test]
    public void AVerbThatFailsHalfWay_StoresNothing()
    {
        // 300 volunteers go in chunks of 250: the second chunk repeats a national ID of the first, after the first went in.
        using var fx = NewRegistry();
        var requests = fx.Volunteers.Many(300, fx.Today).ToArray();
        requests[280] = requests[10];

        var act = () => fx.Donors.EnrolMany(requests, By);

        act.Should().Throw<DuplicateDonorException>();
        fx.Donors.Count().Should().Be(0);
        fx.Registry.GetHistory(AggregateKind.Donor, "DR-00000001").Should().BeEmpty();
        fx.Enrol().Id.Should().Be(new DonorId(1), "the rolled-back write handed out no donor number");
    }

    [Test]
    public void ABatchWhoseLaterChunkRepeatsAnEnrolledPerson_IsRefused_NamingThem_AndNothingOfItIsStored()
    {
        // The writer reads the whole batch's identities once, before any chunk's rows are sent: the person in the third
        // chunk is found on the server, and the refusal leaves nothing of the batch behind.
        using var fx = NewRegistry();
        var enrolled = fx.Volunteers.Next(fx.Today);
        var holder = fx.Donors.Enrol(enrolled, By);
        var requests = fx.Volunteers.Many(600, fx.Today).ToArray();
        requests[580] = enrolled;

        var act = () => fx.Donors.EnrolMany(requests, By);

        act.Should().Throw<DuplicateDonorException>().Which.ExistingDonorId.Should().Be(holder.Id);
        fx.Donors.Count().Should().Be(1);
        fx.Registry.GetHistory(AggregateKind.Donor, new DonorId(2).ToString()).Should().BeEmpty();
        fx.Enrol().Id.Should().Be(new DonorId(2), "the rolled-back write handed out no donor number");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ABatchWithAnInvalidRequest_IsRefusedByTheCheck_AndNothingOfItIsStored(bool missingProfile)
    {
        // A batch larger than the requests checked up front: the preparing thread's check refuses request 200 (too old,
        // or without a profile), the refusal names it, and the rolled-back write leaves no audit record, donor or donor
        // number behind.
        using var fx = NewRegistry();
        var requests = fx.Volunteers.Many(300, fx.Today).ToArray();
        requests[200] = missingProfile
            ? requests[200] with { Profile = null! }
            : requests[200] with { Profile = requests[200].Profile with { BirthDate = fx.Today.AddYears(-50) } };

        var act = () => fx.Donors.EnrolMany(requests, By);

        if (missingProfile)
        {
            act.Should().Throw<RegistryValidationException>().Which.Message.Should().Contain("requests[200].Profile");
        }
        else
        {
            act.Should().Throw<DonorAgeOutOfRangeException>().Which.Age.Should().Be(50);
        }

        fx.Donors.Count().Should().Be(0);
        fx.Registry.GetHistory(AggregateKind.Donor, new DonorId(1).ToString()).Should().BeEmpty();
        fx.Enrol().Id.Should().Be(new DonorId(1), "the rolled-back write handed out no donor number");
    }

    [Test]
    public void RowsAWriteCopied_AreFoundByTheIdentityCheck_AndReadByAnyOtherCommand()
    {
        using var fx = NewRegistry();
        var storage = fx.Registry.Storage;
        var shared = new NationalIdentity(Guid.NewGuid(), 1);
        var now = fx.Clock.GetUtcNow();
        NewDonor Person(long id, NationalIdentity identity, byte proof) =>
            new(new Donor(new DonorId(id), new DonorProfile(Sex.Female, new DateOnly(2000, 1, 1), AboGroup.A, RhD.Positive, CmvStatus.Negative, null), now) { State = DonorState.Enrolled, Version = 1, StateSince = now },
                identity, [proof], [proof]);
        storage.Write(() =>
        {
            storage.Donors.InsertEnrolled([Person(1, shared, 1)]);
            return 0;
        });

        var (queued, sent) = storage.Write(() =>
        {
            storage.Donors.InsertEnrolled([Person(2, new NationalIdentity(Guid.NewGuid(), 2), 2), Person(3, shared, 3)]);
            storage.Donors.InsertEnrolled([Person(4, shared, 4)]);
            var found = storage.Donors.FindByIdentities([shared]);
            var read = storage.Donors.Find(new DonorId(4)); // a command: the COPY still open is completed first
            var again = storage.Donors.FindByIdentities([shared]);
            return (found[shared.Stored].Select(c => (c.Id.Value, c.Proof![0])).ToList(), (read?.Value.Id, again[shared.Stored].Select(c => c.Id.Value).ToList()));
        });

        queued.Should().Equal((1L, (byte)1), (3L, (byte)3), (4L, (byte)4));
        sent.Item1.Should().Be(new DonorId(4));
        sent.Item2.Should().Equal(1, 3, 4);
        storage.Donors.FindByIdentities([shared])[shared.Stored].Select(c => c.Id.Value).Should().Equal(1, 3, 4);
        storage.Donors.Count().Should().Be(4);
    }

    [Test]
    public void AWriteThatFailsWhileItsCopyIsOpen_StoresNothing_ARowItRepeatsIsRefused_AndTheNextWriteWorks()
    {
        using var fx = NewRegistry();
        var storage = fx.Registry.Storage;
        var now = fx.Clock.GetUtcNow();
        NewDonor Person(long id) =>
            new(new Donor(new DonorId(id), new DonorProfile(Sex.Male, new DateOnly(1990, 1, 1), AboGroup.O, RhD.Positive, CmvStatus.Negative, null), now) { State = DonorState.Enrolled, Version = 1, StateSince = now },
                new NationalIdentity(Guid.NewGuid(), (ulong)id), [1], [1]);

        var failing = () => storage.Write<int>(() =>
        {
            storage.Donors.InsertEnrolled([Person(1), Person(2)]); // sent, the COPY left open for more rows
            throw new InvalidOperationException("failed half-way");
        });
        failing.Should().Throw<InvalidOperationException>().WithMessage("failed half-way");
        storage.Donors.Count().Should().Be(0);

        var repeated = () => storage.Write(() =>
        {
            storage.Donors.InsertEnrolled([Person(1)]);
            storage.Donors.InsertEnrolled([Person(1)]); // into the same open COPY: the key refuses it when the COPY completes
            return 0;
        });
        repeated.Should().Throw<RegistryUnavailableException>().WithMessage("*another writer stored it first*");
        storage.Donors.Count().Should().Be(0);

        storage.Write(() =>
        {
            storage.Donors.InsertEnrolled([Person(1)]);
            return 0;
        });
        storage.Donors.Count().Should().Be(1);
    }

    [Test]
    public void Create_RefusesASchemaThatHoldsARegistry_AndOpen_OneThatHoldsNone()
    {
        using var fx = NewRegistry();
        var options = fx.Options();
        options.KeyStorePath = Path.Combine(fx.Folder, "other.keys");

        var create = () => Registry.Create(options);
        create.Should().Throw<RegistryPathException>().WithMessage("*already holds a registry*");

        using var empty = PostgreSqlServer.NewSchema("empty");
        var open = () => Registry.Open(new RegistryOptions { RegistryKey = fx.Key, KeyStorePath = options.KeyStorePath }.UsePostgreSql(empty.ConnectionString));
        open.Should().Throw<NotARegistryException>();
    }

    [Test]
    public void BackupAndRestore_AreNotBuiltOnTheServerYet_AndSaySo_ButVerifyIs()
    {
        using var fx = NewRegistry();
        fx.Enrol();

        var backup = () => fx.Registry.Backup(Path.Combine(fx.Folder, "backup"));
        var restore = () => Registry.Restore(new RegistryBackup(Path.Combine(fx.Folder, "backup", "registry.db")), fx.Options());

        backup.Should().Throw<RegistryValidationException>().WithMessage("*pg_dump*");
        restore.Should().Throw<RegistryValidationException>().WithMessage("*pg_restore*");
        fx.Registry.Verify().IsClean.Should().BeTrue("Verify reads the server's tables (PostgreSqlVerifyTests)");
    }

    [Test]
    public void Migrate_AppliesTheSchemaOnce_EvenFromInstancesStartingTogether()
    {
        _schema = PostgreSqlServer.NewSchema("migrate");
        var connection = _schema.ConnectionString;

        var versions = Enumerable.Range(0, 4).AsParallel().Select(_ => PostgreSqlRegistry.Migrate(connection)).ToList();

        versions.Should().AllBeEquivalentTo(PostgreSqlRegistry.SchemaVersion);
        using var db = new NpgsqlConnection(connection);
        db.Open();
        using var count = new NpgsqlCommand("SELECT count(*) FROM schema_version", db);
        ((long)count.ExecuteScalar()!).Should().Be(PostgreSqlRegistry.SchemaVersion);
    }

    [Test]
    public void AServerThatCannotBeReached_IsTheLibrarysException_NamingTheServer_NotItsPassword()
    {
        using var folder = new TempFolder();
        var options = new RegistryOptions { RegistryKey = RegistryKey.Generate(), KeyStorePath = Path.Combine(folder.Path, "keys") }
            .UsePostgreSql("Host=127.0.0.1;Port=1;Database=registry;Username=registry;Password=hunter2;Timeout=3");

        var act = () => Registry.Create(options);

        var thrown = act.Should().Throw<RegistryUnavailableException>().Which;
        thrown.Server.Should().Be("postgresql://127.0.0.1:1/registry");
        thrown.Message.Should().Contain("opening a connection").And.NotContain("hunter2");
        File.Exists(options.KeyStorePath).Should().BeFalse("nothing is written when the server cannot be reached");
    }

    [Test]
    public void ConnectionsTheServerDropped_FailOneVerbWithTheLibrarysException_AndTheNextVerbWorks()
    {
        _schema = PostgreSqlServer.NewSchema("dropped");
        var application = "dropped-" + Guid.NewGuid().ToString("N")[..8];
        // One pooled connection, so that exactly one dead connection is handed out after the server ends it.
        var connection = new NpgsqlConnectionStringBuilder(_schema.ConnectionString) { ApplicationName = application, MaxPoolSize = 1 }.ConnectionString;
        using var fx = new RegistryFixture(postgreSql: connection);
        var donor = fx.Enrol();

        // The change feed reads the enrolment's change (and prunes the table) on that one pooled connection: once it is
        // done, the connection lies idle in the pool. Killed while the feed uses it, the feed would meet the failure and
        // the verb below a new connection.
        var feed = ((PgStorage)fx.Registry.Storage).Feed!;
        long recorded;
        using (var read = new NpgsqlConnection(_schema.ConnectionString))
        {
            read.Open();
            using var number = new NpgsqlCommand("SELECT next - 1 FROM sequences WHERE name = 'change'", read);
            recorded = (long)number.ExecuteScalar()!;
        }

        SpinWait.SpinUntil(() => feed.Applied >= recorded, TimeSpan.FromSeconds(10)).Should().BeTrue("the feed reads the enrolment's change");
        Thread.Sleep(300);

        // The server ends the registry's idle pooled connection (a restart, a failover, an administrator), waiting until it is gone.
        using (var admin = new NpgsqlConnection(_schema.ConnectionString))
        {
            admin.Open();
            using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity WHERE application_name = $1", admin) { Parameters = { new() { Value = application } } };
            ((long)kill.ExecuteScalar()!).Should().BePositive();
        }

        var act = () => fx.Donors.ScreenOut(donor.Id, "低血红蛋白", By);

        act.Should().Throw<RegistryUnavailableException>().Which.Server.Should().Contain(_schema.Name);
        fx.Donors.Get(donor.Id).State.Should().Be(DonorState.Enrolled, "the failed verb stored nothing");
        fx.Donors.ScreenOut(donor.Id, "低血红蛋白", By).State.Should().Be(DonorState.Ineligible);
    }

    [Test]
    public void UsePostgreSql_RefusesABlankConnectionString_AndADatabasePathBesideIt()
    {
        var blank = () => new RegistryOptions().UsePostgreSql(" ");
        blank.Should().Throw<RegistryValidationException>();

        var both = new RegistryOptions { DatabasePath = "registry.db", RegistryKey = RegistryKey.Generate(), KeyStorePath = "keys" }.UsePostgreSql("Host=127.0.0.1");
        var validate = both.Validate;
        validate.Should().Throw<RegistryValidationException>().Which.Field.Should().Be(nameof(RegistryOptions.DatabasePath));
    }

    private RegistryFixture NewRegistry()
    {
        _schema = PostgreSqlServer.NewSchema("registry");
        return new RegistryFixture(postgreSql: _schema.ConnectionString);
    }

    private static IEnumerable<DonorId> Search(Registry registry) =>
        registry.Search.Find(new SearchRequest(HlaTyping.FromLoci(Volunteers.Typing(DateOnly.MinValue).Loci))).Matches.Select(m => m.DonorId);

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("pg-registry-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
