using DonorRegistry.Donors;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage;

/// <summary>An online backup is one consistent instant; a restore re-applies every withdrawal made since (ADR 12).</summary>
public sealed class BackupRestoreTests
{
    private const string By = "coordinator.li";
    private RegistryFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    [Test]
    public void Backup_OfAnOpenRegistry_RestoresToNewPaths_WithEveryDonorAndTheirPersonalData()
    {
        var donors = Enumerable.Range(0, 5).Select(_ => _fx.Enrol()).ToList();
        var backup = _fx.Registry.Backup(Path.Combine(_fx.Folder, "backup-1"));
        var later = _fx.Enrol();

        using var restored = Registry.Restore(backup, _fx.Options(Path.Combine(_fx.Folder, "restored.db")), _fx.Registry.WithdrawalLedgerPath);

        restored.Donors.Count().Should().Be(5, "the backup predates the sixth enrolment");
        foreach (var donor in donors)
        {
            restored.Donors.GetPersonalData(donor.Id, "coordinator.li", "read back in a test").Should().Be(_fx.Donors.GetPersonalData(donor.Id, "coordinator.li", "read back in a test"));
        }

        restored.Donors.TryGet(later.Id, out _).Should().BeFalse();
        _fx.Donors.Count().Should().Be(6, "the live registry went on");
    }

    [Test]
    public void Restore_OfABackupTakenBeforeAWithdrawal_WithdrawsTheDonorAgain_KeyDestroyedAndDataGone()
    {
        var leaving = _fx.DonorIn(DonorState.Available);
        var staying = _fx.Enrol();
        var backup = _fx.Registry.Backup(Path.Combine(_fx.Folder, "backup"));
        _fx.Donors.Withdraw(leaving.Id, By);

        var target = _fx.Options(Path.Combine(_fx.Folder, "restored", "registry.db"));
        Directory.CreateDirectory(Path.GetDirectoryName(target.DatabasePath)!);
        using var restored = Registry.Restore(backup, target, _fx.Registry.WithdrawalLedgerPath);

        var donor = restored.Donors.Get(leaving.Id);
        donor.State.Should().Be(DonorState.Withdrawn);
        donor.PersonalDataErased.Should().BeTrue();
        restored.Donors.FindByState(DonorState.Available).Should().NotContain(d => d.Id == leaving.Id);
        var read = () => restored.Donors.GetPersonalData(leaving.Id, "coordinator.li", "read back in a test");
        read.Should().Throw<PersonalDataErasedException>();
        restored.Store.Keys.Read(leaving.Id.Value).Should().BeNull("the key is destroyed in the restored key store");
        restored.Donors.GetPersonalData(staying.Id, "coordinator.li", "read back in a test").FullName.Should().NotBeEmpty();
        restored.GetHistory(AggregateKind.Donor, leaving.Id.ToString()).Last().Should().Match<DonorRegistry.Audit.AuditRecord>(r => r.Action == "Withdraw" && r.Actor == "withdrawal-ledger");
    }

    [Test]
    public void Restore_ThenReopen_KeepsTheDonorWithdrawn_AndNeverHandsTheirNumberOutAgain()
    {
        var backup = _fx.Registry.Backup(Path.Combine(_fx.Folder, "backup"));
        var enrolledAfter = _fx.Enrol(); // not in the backup
        _fx.Donors.Withdraw(enrolledAfter.Id, By);
        var target = _fx.Options(Path.Combine(_fx.Folder, "restored.db"));

        using (var restored = Registry.Restore(backup, target, _fx.Registry.WithdrawalLedgerPath))
        {
            restored.Donors.Count().Should().Be(0);
            var next = restored.Donors.Enrol(_fx.Volunteers.Next(_fx.Today), "organizer.wang");
            next.Id.Value.Should().BeGreaterThan(enrolledAfter.Id.Value, "a number the ledger names as withdrawn is never given to a new donor");
        }

        using var reopened = Registry.Open(target);
        reopened.Donors.Count().Should().Be(1);
        reopened.Donors.FindByState(DonorState.Withdrawn).Should().BeEmpty();
    }

    [Test]
    public void Restore_WithoutTheLiveLedger_UsesTheBackupsOwn()
    {
        var donor = _fx.Enrol();
        var backup = _fx.Registry.Backup(Path.Combine(_fx.Folder, "backup"));
        _fx.Donors.Withdraw(donor.Id, By);

        using var restored = Registry.Restore(backup, _fx.Options(Path.Combine(_fx.Folder, "restored.db")));

        restored.Donors.Get(donor.Id).State.Should().Be(DonorState.Enrolled, "without the live ledger only the backup's withdrawals are known");
    }

    [Test]
    public void Restore_WithTheLedgerOfAnotherRegistry_IsRefused_AndWritesNothing()
    {
        var backup = _fx.Registry.Backup(Path.Combine(_fx.Folder, "backup"));
        var otherPath = Path.Combine(_fx.Folder, "other.db");
        Registry.Create(_fx.Options(otherPath)).Dispose();
        var target = Path.Combine(_fx.Folder, "restored.db");

        var act = () => Registry.Restore(backup, _fx.Options(target), otherPath + ".keys.withdrawals");

        act.Should().Throw<KeyStoreMismatchException>().WithMessage("*not the ledger of the backup's registry*");
        File.Exists(target).Should().BeFalse();
    }

    [Test]
    public void Restore_OverExistingFiles_IsRefused()
    {
        var backup = _fx.Registry.Backup(Path.Combine(_fx.Folder, "backup"));

        var act = () => Registry.Restore(backup, _fx.Options(), _fx.Registry.WithdrawalLedgerPath);

        act.Should().Throw<RegistryPathException>().WithMessage($"'{_fx.DatabasePath}' already exists, and a restore never writes over a file*");
    }

    [Test]
    public void Backup_IntoAFolderThatHoldsABackupAlready_IsRefused_AndAnInMemoryRegistryHasNone()
    {
        var folder = Path.Combine(_fx.Folder, "backup");
        _fx.Registry.Backup(folder);

        var again = () => _fx.Registry.Backup(folder);
        again.Should().Throw<RegistryPathException>().WithMessage("*already exists, and a backup never writes over a file*");

        using var memory = Registry.Create(_fx.Options(RegistryOptions.InMemoryPath));
        var inMemory = () => memory.Backup(folder + "-2");
        inMemory.Should().Throw<RegistryValidationException>().WithMessage("*in-memory registry*");
    }

    [Test]
    public void Backup_WhileFourWritersEnrolAndWithdraw_IsOneConsistentInstant()
    {
        var seeded = Enumerable.Range(0, 40).Select(_ => _fx.Enrol()).ToList();
        using var stop = new CancellationTokenSource();
        var next = 0;
        var requests = Enumerable.Range(0, 4).Select(_ => new Queue<EnrolmentRequest>(Enumerable.Range(0, 2000).Select(_ => _fx.Volunteers.Next(_fx.Today)))).ToList();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested && requests[w].Count > 0)
            {
                var donor = _fx.Donors.Enrol(requests[w].Dequeue(), "organizer.wang");
                var victim = Interlocked.Increment(ref next);
                if (victim < seeded.Count)
                {
                    _fx.Donors.Withdraw(seeded[victim].Id, By);
                }

                donor.Should().NotBeNull();
            }
        })).ToList();

        Thread.Sleep(300);
        var backups = Enumerable.Range(0, 3).Select(i => _fx.Registry.Backup(Path.Combine(_fx.Folder, "backup-" + i))).ToList();
        stop.Cancel();
        Task.WaitAll(writers.ToArray());

        foreach (var (backup, i) in backups.Select((b, i) => (b, i)))
        {
            using var restored = Registry.Restore(backup, _fx.Options(Path.Combine(_fx.Folder, $"restored-{i}.db")));
            var all = restored.Donors.FindByState(DonorState.Enrolled).Concat(restored.Donors.FindByState(DonorState.Withdrawn)).ToList();
            all.Should().HaveCount(restored.Donors.Count());
            foreach (var donor in all)
            {
                if (donor.State == DonorState.Withdrawn)
                {
                    restored.Store.Keys.Read(donor.Id.Value).Should().BeNull();
                }
                else
                {
                    restored.Donors.GetPersonalData(donor.Id, "coordinator.li", "read back in a test").FullName.Should().NotBeEmpty("every donor in the copy has its key in the key-store copy");
                }
            }
        }
    }
}
