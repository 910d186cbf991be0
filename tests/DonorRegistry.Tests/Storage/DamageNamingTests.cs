using DonorRegistry.FakeData;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage;

/// <summary>How failures at the engine boundary surface: a disk that refuses a commit, and the exception's message.</summary>
public sealed class DamageNamingTests
{
    private const string By = "coordinator.li";
    private static readonly DateOnly Today = DateOnly.FromDateTime(RegistryFixture.Start.UtcDateTime);
    private string _folder = null!;

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("donor-registry-naming-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void ACommitTheDiskRefusesToWrite_ThrowsRegistryStorageException_AndTheRegistryRefusesFurtherChanges()
    {
        var disk = new SimulatedDisk();
        var path = Path.Combine(_folder, "registry.db");
        using var registry = Registry.Create(new RegistryOptions { DatabasePath = path, RegistryKey = RegistryKey.Generate(), TimeProvider = new FakeTimeProvider(RegistryFixture.Start), Disk = disk });
        var donor = registry.Donors.Enrol(new Volunteers(3).Next(Today), By);
        disk.FailWrites = true;

        var failed = () => registry.Donors.ScreenOut(donor.Id, "低血红蛋白", By, donor.Version);

        failed.Should().Throw<RegistryStorageException>().Which.InnerException.Should().BeOfType<IOException>().Which.Message.Should().Contain("No space left");
        disk.FailWrites = false;
        var next = () => registry.Donors.Rescreen(donor.Id, By);
        next.Should().Throw<RegistryStorageException>("what reached the log of the failed commit is unknown");
    }

    [Test]
    public void TheMessage_NamesTheFileTheCollectionTheDocumentAndWhatWasExpected()
    {
        var e = new RegistryDamagedException("/data/chaoyang.db", "samples", "TUBE-000042", "field 'state' to hold a SampleState name", new FormatException("bad"));

        e.Message.Should().Be("'/data/chaoyang.db' is damaged: collection 'samples', document 'TUBE-000042': expected field 'state' to hold a SampleState name (FormatException: bad). " +
                              "Nothing was changed. Open the registry again and run Registry.Verify() for the full list; if it reports damage, restore the registry and its key store from their last backups.");
        e.Should().BeAssignableTo<DonorRegistryException>();
        new RegistryDamagedException("/data/chaoyang.db", null, null, "pages the database engine can read").Message.Should().Contain("the database engine's own structures");
    }
}
