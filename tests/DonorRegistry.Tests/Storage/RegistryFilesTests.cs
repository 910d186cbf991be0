using DonorRegistry.Donors;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage;

/// <summary>The database, the key store and the withdrawal ledger are bound together and checked at every open (ADR 12).</summary>
public sealed class RegistryFilesTests
{
    private RegistryFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    private string LedgerPath => _fx.KeyStorePath + ".withdrawals";

    [Test]
    public void Create_WritesTheDatabaseTheKeyStoreAndTheLedger_AndOpenReadsThemBack()
    {
        var donor = _fx.Enrol();
        _fx.Registry.Dispose();

        File.Exists(LedgerPath).Should().BeTrue();
        using var again = Registry.Open(_fx.Options());
        again.Donors.GetPersonalData(donor.Id, "coordinator.li", "read back in a test").FullName.Should().NotBeEmpty();
        again.KeyStorePath.Should().Be(_fx.KeyStorePath);
        again.WithdrawalLedgerPath.Should().Be(LedgerPath);
    }

    [Test]
    public void Create_OverAnExistingRegistry_IsRefused_AndChangesNoFile()
    {
        _fx.Enrol();
        _fx.Registry.Dispose();
        var before = Snapshot();

        var act = () => Registry.Create(_fx.Options());

        act.Should().Throw<RegistryPathException>().WithMessage($"'{_fx.DatabasePath}' already exists*Registry.Open*");
        Snapshot().Should().BeEquivalentTo(before);
        _fx.Open().Donors.Count().Should().Be(1);
    }

    [Test]
    public void Create_BesideAnExistingKeyStore_IsRefused_NamingTheKeyStore()
    {
        _fx.Enrol();
        _fx.Registry.Dispose();
        File.Delete(_fx.DatabasePath);
        var keys = File.ReadAllBytes(_fx.KeyStorePath);

        var act = () => Registry.Create(_fx.Options());

        act.Should().Throw<RegistryPathException>().WithMessage($"'{_fx.KeyStorePath}' already exists*");
        File.ReadAllBytes(_fx.KeyStorePath).Should().Equal(keys);
        File.Exists(_fx.DatabasePath).Should().BeFalse("nothing is written before the checks pass");
    }

    [Test]
    public void Open_AMissingDatabase_IsRefused_AndCreatesNothing()
    {
        var path = Path.Combine(_fx.Folder, "typo.db");

        var act = () => Registry.Open(_fx.Options(path));

        act.Should().Throw<NotARegistryException>().WithMessage($"'{path}' is not a DonorRegistry file: the database file does not exist*Registry.Create*");
        Directory.GetFiles(_fx.Folder, "typo*").Should().BeEmpty();
    }

    [Test]
    public void Open_AnEmptyDatabaseBesideAnExistingKeyStore_IsRefused_AndTheKeyStoreIsUntouched()
    {
        var donor = _fx.Enrol();
        _fx.Registry.Dispose();
        File.WriteAllBytes(_fx.DatabasePath, []);
        var keys = File.ReadAllBytes(_fx.KeyStorePath);

        var act = () => Registry.Open(_fx.Options());

        act.Should().Throw<NotARegistryException>().WithMessage("*the database file is empty (0 bytes)*");
        File.ReadAllBytes(_fx.KeyStorePath).Should().Equal(keys, "the old donors' keys are not overwritten");
        File.ReadAllBytes(_fx.DatabasePath).Should().BeEmpty();
        donor.Should().NotBeNull();
    }

    [Test]
    public void Open_AnEmptyLiteDbDatabase_IsRefused_AsHavingNoRegistryHeader()
    {
        _fx.Registry.Dispose();
        File.Delete(_fx.DatabasePath);
        using (var db = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = _fx.DatabasePath, Collation = LiteDB.Collation.Binary }))
        {
            db.Checkpoint();
        }

        var act = () => Registry.Open(_fx.Options());

        act.Should().Throw<NotARegistryException>().WithMessage("*an empty LiteDB database with no registry header*");
    }

    [TestCase(0, "*the key store is empty (0 bytes)*")]
    [TestCase(40, "*shorter than its 64-byte header*")]
    public void Open_AKeyStoreTruncatedBelowItsHeader_IsRefused(int length, string message)
    {
        _fx.Enrol();
        _fx.Registry.Dispose();
        Truncate(_fx.KeyStorePath, length);

        var act = () => Registry.Open(_fx.Options());

        act.Should().Throw<KeyStoreMismatchException>().WithMessage(message).Which.Path.Should().Be(_fx.KeyStorePath);
        new FileInfo(_fx.KeyStorePath).Length.Should().Be(length, "nothing is written before the check passes");
    }

    [Test]
    public void Open_AKeyStoreTruncatedToHalf_IsRefused_InsteadOfReadingDonorsAsWithdrawn()
    {
        _fx.Donors.EnrolMany(Enumerable.Range(0, 40).Select(_ => _fx.Volunteers.Next(_fx.Today)).ToList(), "organizer.wang");
        _fx.Registry.Dispose();
        var half = new FileInfo(_fx.KeyStorePath).Length / 2;
        Truncate(_fx.KeyStorePath, half);

        var act = () => Registry.Open(_fx.Options());

        act.Should().Throw<KeyStoreMismatchException>().WithMessage("*truncated*restore the key store*");
        new FileInfo(_fx.KeyStorePath).Length.Should().Be(half);
    }

    [Test]
    public void Open_AKeyStoreTruncatedAtASlotBoundary_IsRefused_AsOlderThanTheDatabase()
    {
        _fx.Donors.EnrolMany(Enumerable.Range(0, 10).Select(_ => _fx.Volunteers.Next(_fx.Today)).ToList(), "organizer.wang");
        _fx.Registry.Dispose();
        Truncate(_fx.KeyStorePath, 64 + (5 * 64));

        var act = () => Registry.Open(_fx.Options());

        act.Should().Throw<KeyStoreMismatchException>().WithMessage("*key slots for donor ids up to 4, but the database numbered donors up to 10*");
    }

    [Test]
    public void Open_WithTheKeyStoreOfAnotherRegistryWithTheSameKey_IsRefused_NamingBothRegistryIds()
    {
        _fx.Enrol();
        var otherPath = Path.Combine(_fx.Folder, "other.db");
        using (var other = Registry.Create(_fx.Options(otherPath)))
        {
            other.Donors.Enrol(_fx.Volunteers.Next(_fx.Today), "organizer.wang");
        }

        _fx.Registry.Dispose();
        var ours = File.ReadAllBytes(_fx.KeyStorePath);
        File.Copy(otherPath + ".keys", _fx.KeyStorePath, overwrite: true);

        var act = () => Registry.Open(_fx.Options());

        act.Should().Throw<KeyStoreMismatchException>().WithMessage("*belongs to registry *, but the database is registry *another registry with the same registry key*");
        File.WriteAllBytes(_fx.KeyStorePath, ours);
        _fx.Open().Donors.Count().Should().Be(1);
    }

    [Test]
    public void Open_WithTheLedgerOfAnotherRegistry_IsRefused()
    {
        var otherPath = Path.Combine(_fx.Folder, "other.db");
        Registry.Create(_fx.Options(otherPath)).Dispose();
        _fx.Registry.Dispose();
        File.Copy(otherPath + ".keys.withdrawals", LedgerPath, overwrite: true);

        var act = () => Registry.Open(_fx.Options());

        act.Should().Throw<KeyStoreMismatchException>().WithMessage($"'{LedgerPath}': the withdrawal ledger belongs to registry*");
    }

    [Test]
    public void Open_WithAnOlderKeyStoreAndLedger_FromBeforeAWithdrawal_IsRefusedAsOlder()
    {
        var donor = _fx.Enrol();
        _fx.Enrol();
        _fx.Registry.Dispose();
        var oldKeys = File.ReadAllBytes(_fx.KeyStorePath);
        var oldLedger = File.ReadAllBytes(LedgerPath);
        _fx.Open().Donors.Withdraw(donor.Id, "coordinator.li");
        _fx.Registry.Dispose();
        File.WriteAllBytes(_fx.KeyStorePath, oldKeys);
        File.WriteAllBytes(LedgerPath, oldLedger);

        var act = () => Registry.Open(_fx.Options());

        act.Should().Throw<KeyStoreMismatchException>()
            .WithMessage($"'{LedgerPath}': donor {donor.Id} is withdrawn in the database but not in the withdrawal ledger: the key store and its ledger are older than the database*")
            .Which.Path.Should().Be(LedgerPath);
        File.ReadAllBytes(_fx.KeyStorePath).Should().Equal(oldKeys, "a refused key store is not repaired in place");
    }

    [Test]
    public void Open_WithALedgerOlderThanItsKeyStore_IsRefused()
    {
        var donor = _fx.Enrol();
        _fx.Registry.Dispose();
        var oldLedger = File.ReadAllBytes(LedgerPath);
        _fx.Open().Donors.Withdraw(donor.Id, "coordinator.li");
        _fx.Registry.Dispose();
        File.WriteAllBytes(LedgerPath, oldLedger);

        var act = () => Registry.Open(_fx.Options());

        act.Should().Throw<KeyStoreMismatchException>().WithMessage("*the ledger is older than the key store or was truncated*");
    }

    [Test]
    public void Open_WithoutTheLedger_IsRefused_NamingIt()
    {
        _fx.Registry.Dispose();
        File.Delete(LedgerPath);

        var act = () => Registry.Open(_fx.Options());

        act.Should().Throw<KeyStoreMismatchException>().WithMessage($"'{LedgerPath}': the withdrawal ledger beside the key store is missing*never delete it*");
    }

    [Test]
    public void Withdraw_BumpsTheKeyStoreGeneration_AndListsTheDonorInTheLedger()
    {
        var donor = _fx.Enrol();
        var keeps = _fx.Enrol();

        _fx.Donors.Withdraw(donor.Id, "coordinator.li");

        _fx.Registry.Store.Keys.Generation.Should().Be(1);
        _fx.Registry.Store.Keys.Ledger.Entries.Should().ContainSingle().Which.Should().Be(new DonorRegistry.Protection.Withdrawal(donor.Id.Value, _fx.Clock.GetUtcNow()));
        _fx.Reopen();
        _fx.Registry.Store.Keys.Generation.Should().Be(1);
        _fx.Donors.GetPersonalData(keeps.Id, "coordinator.li", "read back in a test").FullName.Should().NotBeEmpty();
    }

    [Test]
    public void CreateIfMissing_CreatesOnlyWhenNoFileExists_AndOpensWithTheChecksOtherwise()
    {
        var path = Path.Combine(_fx.Folder, "first-run.db");
        var options = _fx.Options(path);
        options.CreateIfMissing = true;
        using (var first = Registry.Open(options))
        {
            first.Donors.Enrol(_fx.Volunteers.Next(_fx.Today), "organizer.wang");
        }

        using (var second = Registry.Open(options))
        {
            second.Donors.Count().Should().Be(1, "the second run opens the registry the first created");
        }

        File.WriteAllBytes(path, []);
        var act = () => Registry.Open(options);
        act.Should().Throw<NotARegistryException>("a key store exists, so an empty database is not a new registry").WithMessage("*empty (0 bytes)*");
    }

    [Test]
    public void AddDonorRegistry_WithCreateIfMissing_CreatesOnTheFirstResolve_AndWithoutIt_RefusesAMissingRegistry()
    {
        var path = Path.Combine(_fx.Folder, "di.db");
        var refused = () => Resolve(create: false);
        refused.Should().Throw<NotARegistryException>();

        Resolve(create: true).Should().Be(0);
        Resolve(create: false).Should().Be(0, "the registry exists now");

        int Resolve(bool create)
        {
            var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
            Microsoft.Extensions.DependencyInjection.DonorRegistryServiceCollectionExtensions.AddDonorRegistry(services, o =>
            {
                o.DatabasePath = path;
                o.RegistryKey = _fx.Key;
                o.CreateIfMissing = create;
            });
            using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
            return Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<DonorOperations>(provider).Count();
        }
    }

    [Test]
    public void Open_InMemory_IsAlwaysANewRegistry()
    {
        var options = _fx.Options(RegistryOptions.InMemoryPath);
        using (var first = Registry.Open(options))
        {
            first.Donors.Enrol(_fx.Volunteers.Next(_fx.Today), "organizer.wang");
            first.KeyStorePath.Should().BeNull();
        }

        using var second = Registry.Open(options);
        second.Donors.Count().Should().Be(0);
    }

    private static void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.SetLength(length);
    }

    private Dictionary<string, byte[]> Snapshot() =>
        Directory.GetFiles(_fx.Folder).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)).ToDictionary(f => f, File.ReadAllBytes);
}
