using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using LiteDB;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage;

public sealed class RegistryStoreTests
{
    private RegistryFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    [Test]
    public void Reopen_AfterEveryKindOfChange_ReadsBackTheSameDonorsHistoryAndPersonalData()
    {
        var states = Enum.GetValues<DonorState>().Where(s => s != DonorState.Prospect).ToList();
        var donors = states.Select(_fx.DonorIn).ToList();
        var personal = donors.Where(d => d.State != DonorState.Withdrawn).ToDictionary(d => d.Id, d => _fx.Donors.GetPersonalData(d.Id, "coordinator.li", "read back in a test"));
        var histories = donors.ToDictionary(d => d.Id, d => _fx.Donors.GetHistory(d.Id));

        _fx.Reopen();

        foreach (var donor in donors)
        {
            _fx.Donors.Get(donor.Id).Should().BeEquivalentTo(donor);
            _fx.Donors.GetHistory(donor.Id).Should().Equal(histories[donor.Id]);
        }

        foreach (var (id, data) in personal)
        {
            _fx.Donors.GetPersonalData(id, "coordinator.li", "read back in a test").Should().Be(data);
        }

        _fx.Enrol().Id.Should().Be(new DonorId(donors.Count + 1), "the id sequence survives a restart");
    }

    [Test]
    public void Reopen_TextWithSpacesAndEmptyStrings_IsKeptExactlyAsGiven()
    {
        var donor = _fx.DonorIn(DonorState.Enrolled);
        _fx.Donors.ScreenOut(donor.Id, "  血红蛋白偏低  ", "coordinator.li");
        var request = _fx.Volunteers.Next(_fx.Today);
        var other = _fx.Donors.Enrol(request with { Personal = request.Personal with { Address = " 北京市朝阳区 ", EmergencyContacts = [] } }, " organizer ");

        _fx.Reopen();

        _fx.Donors.Get(donor.Id).StatusNote.Should().Be("  血红蛋白偏低  ");
        _fx.Donors.GetPersonalData(other.Id, "coordinator.li", "read back in a test").Address.Should().Be(" 北京市朝阳区 ");
        _fx.Donors.GetPersonalData(other.Id, "coordinator.li", "read back in a test").EmergencyContacts.Should().BeEmpty();
        _fx.Donors.GetHistory(other.Id)[0].Actor.Should().Be(" organizer ");
    }

    [Test]
    public void Reopen_Instants_ComeBackAsUtc()
    {
        var donor = _fx.Enrol();

        _fx.Reopen();

        var stored = _fx.Donors.Get(donor.Id);
        stored.EnrolledAt.Offset.Should().Be(TimeSpan.Zero);
        stored.EnrolledAt.Should().Be(RegistryFixture.Start);
    }

    [Test]
    public void Open_TheSameFileTwice_IsRejectedAsInUse()
    {
        var act = () => Registry.Open(_fx.Options());

        act.Should().Throw<RegistryInUseException>().WithMessage($"'{_fx.DatabasePath}' is already open*");
        _fx.Donors.Count().Should().Be(0);
    }

    [Test]
    public void Open_AFileThatIsNotADatabase_IsRejectedAndLeftUntouched()
    {
        var path = Path.Combine(_fx.Folder, "notes.db");
        var content = string.Concat(Enumerable.Repeat("这不是数据库。", 2000));
        File.WriteAllText(path, content);

        var act = () => Registry.Open(_fx.Options(path));

        act.Should().Throw<NotARegistryException>().WithMessage($"'{path}' is not a DonorRegistry file*");
        File.ReadAllText(path).Should().Be(content);
    }

    [Test]
    public void Open_AnotherApplicationsLiteDbFile_IsRejectedNamingItsCollections()
    {
        var path = Path.Combine(_fx.Folder, "inventory.db");
        using (var other = new LiteDatabase(path))
        {
            other.GetCollection("products").Insert(new BsonDocument { ["name"] = "gloves" });
        }

        var act = () => Registry.Open(_fx.Options(path));

        act.Should().Throw<NotARegistryException>().WithMessage("*collections products but no registry header*");
    }

    [Test]
    public void Open_WithoutItsKeyStore_IsRejectedSayingTheKeyStoreIsMissing()
    {
        _fx.Enrol();
        _fx.Registry.Dispose();
        File.Move(_fx.KeyStorePath, _fx.KeyStorePath + ".moved");

        var act = () => Registry.Open(_fx.Options());

        act.Should().Throw<KeyStoreMismatchException>().WithMessage("*key store that holds the donors' data keys is missing*");
        File.Move(_fx.KeyStorePath + ".moved", _fx.KeyStorePath);
        _fx.Open().Donors.Count().Should().Be(1);
    }

    [Test]
    public void Open_WithAFilePassword_NeedsTheSamePasswordNextTime()
    {
        var path = Path.Combine(_fx.Folder, "locked.db");
        var options = _fx.Options(path);
        options.FilePassword = "朝阳红十字";
        using (var registry = Registry.Create(options))
        {
            registry.Donors.Enrol(_fx.Volunteers.Next(_fx.Today), "organizer");
        }

        var wrong = _fx.Options(path);
        wrong.FilePassword = "wrong";
        var act = () => Registry.Open(wrong);

        act.Should().Throw<RegistryKeyMismatchException>().WithMessage("The file password does not open*");
        using var again = Registry.Open(options);
        again.Donors.Count().Should().Be(1);
    }

    [Test]
    public void Open_WithoutRequiredOptions_SaysWhatIsMissing()
    {
        var noPath = () => Registry.Open(new RegistryOptions { RegistryKey = RegistryKey.Generate() });
        var noKey = () => Registry.Open(new RegistryOptions { DatabasePath = Path.Combine(_fx.Folder, "x.db") });

        noPath.Should().Throw<RegistryValidationException>().WithMessage("RegistryOptions.DatabasePath is required*");
        noKey.Should().Throw<RegistryValidationException>().WithMessage("RegistryOptions.RegistryKey is required*");
    }

    [Test]
    public void Open_WithInconsistentPolicy_SaysWhichRuleIsWrong()
    {
        var options = _fx.Options(Path.Combine(_fx.Folder, "y.db"));
        options.Eligibility = new EligibilityPolicy { MaximumJoinAge = 60, LeavingAge = 60 };

        var act = () => Registry.Open(options);

        act.Should().Throw<RegistryValidationException>().WithMessage("LeavingAge 60 must be above MaximumJoinAge 60*");
    }

    [Test]
    public void Open_InMemory_WritesNoFiles()
    {
        using var fx = new RegistryFixture(inMemory: true);
        fx.Enrol();

        Directory.GetFiles(fx.Folder).Should().BeEmpty();
        fx.Registry.DatabasePath.Should().Be(RegistryOptions.InMemoryPath);
    }

    [Test]
    public void RegistryKey_RoundTripsThroughBase64AndNeverShowsItself()
    {
        var key = RegistryKey.Generate();

        RegistryKey.FromBase64(key.ToBase64()).KeyId.Should().Be(key.KeyId);
        key.ToString().Should().Be($"RegistryKey {key.KeyId}").And.NotContain(key.ToBase64());
        var bad = () => RegistryKey.FromBase64("c2hvcnQ=");
        bad.Should().Throw<RegistryValidationException>().WithMessage("*32 bytes*");
    }
}
