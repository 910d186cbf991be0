using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Storage;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using LiteDB;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage;

public sealed class DurableCommitTests
{
    private const string By = "coordinator.li";
    private string _folder = null!;

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("donor-registry-durable-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    private string DatabasePath => Path.Combine(_folder, "registry.db");

    private string LogPath => Path.Combine(_folder, "registry-log.db");

    [Test]
    public void Write_WhenDurable_FlushesTheLogBeforeEachVerbReturns()
    {
        var disk = new SimulatedDisk();
        using var registry = Open(disk, Durability.Durable);
        var donor = registry.Donors.Enrol(new Volunteers(1).Next(Today), By);

        for (var i = 0; i < 5; i++)
        {
            var before = disk.FlushesOf(LogPath);
            donor = registry.Donors.ScreenOut(donor.Id, "低血红蛋白", By, donor.Version);
            donor = registry.Donors.Rescreen(donor.Id, By, donor.Version);
            disk.FlushesOf(LogPath).Should().Be(before + 2, "each of the two verbs flushed its commit");
        }
    }

    [Test]
    public void Write_WhenOsBuffered_LeavesTheLogToTheOperatingSystem()
    {
        var disk = new SimulatedDisk();
        using var registry = Open(disk, Durability.OsBuffered);
        var donor = registry.Donors.Enrol(new Volunteers(1).Next(Today), By);
        var before = disk.FlushesOf(LogPath);

        donor = registry.Donors.ScreenOut(donor.Id, "低血红蛋白", By, donor.Version);
        registry.Donors.Rescreen(donor.Id, By, donor.Version);

        disk.FlushesOf(LogPath).Should().Be(before);
    }

    [Test]
    public void EnrolMany_ForcesTheKeyStoreOncePerBatch_OnThePreparingThread_AndStoresEveryKey()
    {
        var disk = new SimulatedDisk();
        var keysPath = DatabasePath + ".keys";
        var volunteers = new Volunteers(3);
        using var registry = Open(disk, Durability.OsBuffered);
        var before = disk.FlushesOf(keysPath);

        var enrolled = registry.Donors.EnrolMany(Enumerable.Range(0, 700).Select(_ => volunteers.Next(Today)).ToList(), By);
        disk.FlushesOf(keysPath).Should().Be(before + 1, "the preparing thread forced the keys once, and the writer's flush before the commit found nothing left");
        enrolled = [.. enrolled, .. registry.Donors.EnrolMany(Enumerable.Range(0, 300).Select(_ => volunteers.Next(Today)).ToList(), By)];
        disk.FlushesOf(keysPath).Should().Be(before + 2);

        foreach (var donor in enrolled.Where((_, i) => i % 97 == 0))
        {
            registry.Donors.GetPersonalData(donor.Id, By, "核对").Should().NotBeNull("donor {0}'s key was stored by the preparing thread", donor.Id);
        }
    }

    [Test]
    public void ForceLogAhead_WhenOsBuffered_ForcesTheLogOnlyOnceItHoldsHalfACheckpoint_AndOnlyWhatIsNotForcedYet()
    {
        var disk = new SimulatedDisk();
        using var files = DonorRegistry.Storage.LiteDb.DatabaseFiles.Open(DatabasePath, inMemory: false, null, null, DonorRegistry.Storage.LiteDb.LiteDbStorage.CreateMapper(), Durability.OsBuffered, disk);
        var collection = files.Database.GetCollection("filler");
        var payload = new string('x', 6_000);
        collection.Insert(new BsonDocument { ["p"] = payload });
        var before = disk.FlushesOf(LogPath);

        files.ForceLogAhead();
        disk.FlushesOf(LogPath).Should().Be(before, "a log far from a checkpoint is left to the operating system");

        // LiteDB checkpoints once the log holds more than 1,000 pages of 8 KiB; half of it is the threshold.
        while (disk.LengthOf(LogPath) < 1_000 * 8_192L / 2)
        {
            collection.Insert(new BsonDocument { ["p"] = payload });
        }

        disk.FlushesOf(LogPath).Should().Be(before, "no checkpoint ran yet");
        files.ForceLogAhead();
        disk.FlushesOf(LogPath).Should().Be(before + 1);
        files.ForceLogAhead();
        disk.FlushesOf(LogPath).Should().Be(before + 1, "nothing was written since the last flush");
        collection.Insert(new BsonDocument { ["p"] = payload });
        files.ForceLogAhead();
        disk.FlushesOf(LogPath).Should().Be(before + 2);
    }

    [Test]
    public void Write_FourWritersAtOnce_ShareFlushes()
    {
        const int Writers = 4;
        const int StepsEach = 20;
        var disk = new SimulatedDisk { FlushTime = TimeSpan.FromMilliseconds(3) };
        using var registry = Open(disk, Durability.Durable);
        var volunteers = new Volunteers(2);
        var donors = registry.Donors.EnrolMany(Enumerable.Range(0, Writers).Select(_ => volunteers.Next(Today)).ToList(), By);
        var before = disk.FlushesOf(LogPath);

        // Threads of their own, not the pool's: all four writers must be there from the start.
        using var start = new Barrier(Writers);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = donors.Select(d => new Thread(() =>
        {
            start.SignalAndWait();
            try
            {
                var donor = d;
                for (var i = 0; i < StepsEach / 2; i++)
                {
                    donor = registry.Donors.ScreenOut(donor.Id, "低血红蛋白", By, donor.Version);
                    donor = registry.Donors.Rescreen(donor.Id, By, donor.Version);
                }
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        failures.Should().BeEmpty();

        var flushes = disk.FlushesOf(LogPath) - before;
        flushes.Should().BeLessThan(Writers * StepsEach * 3 / 4, "writers that commit while a flush runs share the next one");
        registry.Donors.GetHistory(donors[0].Id).Should().HaveCount(StepsEach + 1);
    }

    [Test]
    public void Write_WhenTheFlushFails_ThrowsRegistryStorageExceptionAndRefusesFurtherChanges()
    {
        var disk = new SimulatedDisk();
        using var registry = Open(disk, Durability.Durable);
        var donor = registry.Donors.Enrol(new Volunteers(1).Next(Today), By);
        disk.FailFlushes = true;

        var failed = () => registry.Donors.ScreenOut(donor.Id, "低血红蛋白", By, donor.Version);
        failed.Should().Throw<RegistryStorageException>().WithMessage("*could not force its commits to the disk (Input/output error (simulated))*")
            .Which.Path.Should().Be(DatabasePath);
        disk.FailFlushes = false;
        var next = () => registry.Donors.Rescreen(donor.Id, By);

        next.Should().Throw<RegistryStorageException>("after a failed flush the operating system may have dropped the pages");
        registry.Donors.Get(donor.Id).State.Should().Be(DonorState.Ineligible, "the failed verb committed; only its flush failed");
    }

    [Test]
    public void Dispose_LeavesNoLogFileBehind()
    {
        var options = Options(DatabasePath, Durability.Durable);
        using (var registry = Registry.Create(options))
        {
            registry.Donors.Enrol(new Volunteers(1).Next(Today), By);
            File.Exists(LogPath).Should().BeTrue("commits go to LiteDB's log until a checkpoint");
        }

        Directory.GetFiles(_folder).Select(Path.GetFileName).Should().BeEquivalentTo("registry.db", "registry.db.keys", "registry.db.keys.withdrawals", "registry.db.lock");
        using var again = Registry.Open(options);
        again.Donors.Count().Should().Be(1);
    }

    [Test]
    public void Open_ALogLiteDbWroteItself_ReadsItsCommits()
    {
        // A file written before this change: LiteDB opened it by name and left commits in its own "-log" file.
        var original = Path.Combine(_folder, "original");
        Directory.CreateDirectory(original);
        using (var db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(original, "registry.db"), Collation = Collation.Binary }))
        {
            db.GetCollection("things").Insert(new BsonDocument { ["_id"] = 1, ["name"] = "写入日志" });
            File.Copy(Path.Combine(original, "registry.db"), DatabasePath);
            File.Copy(Path.Combine(original, "registry-log.db"), LogPath);
        }

        using var files = DonorRegistry.Storage.LiteDb.DatabaseFiles.Open(DatabasePath, inMemory: false, null, null, DonorRegistry.Storage.LiteDb.LiteDbStorage.CreateMapper(), Durability.Durable, LocalDisk.Instance);

        files.Database.GetCollection("things").FindById(1)["name"].AsString.Should().Be("写入日志");
    }

    private static DateOnly Today => DateOnly.FromDateTime(RegistryFixture.Start.UtcDateTime);

    private Registry Open(SimulatedDisk disk, Durability durability)
    {
        var options = Options(DatabasePath, durability);
        options.Disk = disk;
        return Registry.Create(options);
    }

    private static RegistryOptions Options(string path, Durability durability) => new()
    {
        DatabasePath = path,
        RegistryKey = RegistryKey.Generate(),
        TimeProvider = new FakeTimeProvider(RegistryFixture.Start),
        Durability = durability,
    };
}
