using DonorRegistry.Donors;
using DonorRegistry.Protection;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using LiteDB;
using NUnit.Framework;

namespace DonorRegistry.Tests.Protection;

/// <summary>
/// The duplicate-person check keeps a coarse identity (birth day, sex, 4 bits of the keyed hash) and confirms
/// candidates under their own data keys (ADR 12), so an old backup with today's key store and the registry key
/// cannot single out a withdrawn donor's ID number from fewer than 1,000 equally likely candidates.
/// </summary>
public sealed class NationalIdentityTests
{
    private static readonly DateOnly Born = new(2003, 5, 14);

    /// <summary>A small prior: 64 region codes (Beijing's 1101xx range), far fewer than the country's ~3,000.</summary>
    private static IEnumerable<string> Regions => Enumerable.Range(1, 64).Select(i => (110100 + i).ToString("D6", System.Globalization.CultureInfo.InvariantCulture));

    private RegistryFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    [Test]
    public void EveryStoredIdentity_IsSharedByAtLeast1000ValidIdNumbers_OfTheSameBirthDateAndSex_Over64Regions()
    {
        using var cipher = new PersonalDataCipher(_fx.Key);

        var buckets = Candidates(Sex.Female)
            .GroupBy(id => NationalIdNumber.Identity(id, cipher.HashNationalId(id), NationalIdFormat.ChineseResidentId))
            .Select(g => g.Count())
            .ToList();

        Candidates(Sex.Female).Should().HaveCount(64 * 500).And.OnlyContain(id => NationalIdNumber.Check(id, Born, Sex.Female, NationalIdFormat.ChineseResidentId) == null);
        buckets.Should().HaveCount(1 << NationalIdNumber.ResidentIdHashBits);
        buckets.Min().Should().BeGreaterThanOrEqualTo(1000, "recovering the number takes no fewer guesses than telling it apart from 1,000 candidates");
    }

    [Test]
    public void AnOldBackup_WithTodaysKeyStoreAndTheRegistryKey_LeavesAWithdrawnDonorAmong1000Candidates_AndConfirmsNone()
    {
        var id = Candidates(Sex.Female).Skip(4321).First(); // region 110109
        var donor = _fx.Donors.Enrol(Request(id), "organizer.wang");
        _fx.Registry.Dispose();
        var backup = Path.Combine(_fx.Folder, "old-backup.db");
        File.Copy(_fx.DatabasePath, backup);
        _fx.Open().Donors.Withdraw(donor.Id, "coordinator.li");
        _fx.Registry.Dispose();

        // What the attacker reads in the backup: the stored identity and its proof, the birth date and the sex.
        BsonDocument stored;
        using (var db = new LiteDatabase(new ConnectionString { Filename = backup, ReadOnly = true }))
        {
            stored = db.GetCollection("donors").FindById(donor.Id.Value);
        }

        stored["pd"].IsBinary.Should().BeTrue("the backup predates the withdrawal");
        stored["nidp"].IsBinary.Should().BeTrue();
        using var cipher = new PersonalDataCipher(_fx.Key);
        var matching = Candidates(Sex.Female).Count(c => NationalIdNumber.Identity(c, cipher.HashNationalId(c), NationalIdFormat.ChineseResidentId) == stored["nid"].AsGuid);
        matching.Should().BeGreaterThanOrEqualTo(1000, "the stored identity alone leaves the attacker this many equally likely numbers");

        // The proof would tell them apart, but only under the donor's data key, and today's key store no longer has it.
        using var registry = Registry.Open(_fx.Options());
        registry.Store.Keys.Read(donor.Id.Value).Should().BeNull();
        registry.Donors.FindByNationalId(id).Should().BeNull("a withdrawn donor's number is forgotten");
    }

    [Test]
    public void TwoPeopleSharingAStoredIdentity_BothEnrol_AndEachIsFoundByTheirOwnNumber()
    {
        using var cipher = new PersonalDataCipher(_fx.Key);
        var pair = Candidates(Sex.Male)
            .GroupBy(id => NationalIdNumber.Identity(id, cipher.HashNationalId(id), NationalIdFormat.ChineseResidentId))
            .First().Take(2).ToList();

        var first = _fx.Donors.Enrol(Request(pair[0], Sex.Male), "organizer.wang");
        var second = _fx.Donors.EnrolMany([Request(pair[1], Sex.Male)], "organizer.wang")[0];

        _fx.Donors.FindByNationalId(pair[0]).Should().Be(first.Id);
        _fx.Donors.FindByNationalId(pair[1]).Should().Be(second.Id);
        var again = () => _fx.Donors.Enrol(Request(pair[1], Sex.Male), "organizer.wang");
        again.Should().Throw<DuplicateDonorException>().Which.ExistingDonorId.Should().Be(second.Id);
        _fx.Donors.Count().Should().Be(2);
    }

    [Test]
    public void ADuplicateInALargeBatch_IsRefusedNamingTheEnrolledDonor_AndStoresNothing()
    {
        var enrolled = _fx.Enrol();
        var id = _fx.Donors.GetPersonalData(enrolled.Id, "coordinator.li", "read back in a test").NationalId;
        var batch = Enumerable.Range(0, 300).Select(_ => _fx.Volunteers.Next(_fx.Today)).ToList();
        batch[280] = batch[280] with { Profile = enrolled.Profile, Personal = batch[280].Personal with { NationalId = id } };

        var act = () => _fx.Donors.EnrolMany(batch, "organizer.wang");

        act.Should().Throw<DuplicateDonorException>().Which.ExistingDonorId.Should().Be(enrolled.Id);
        _fx.Donors.Count().Should().Be(1);
    }

    [Test]
    public void AWithdrawnPerson_MayEnrolAgain_WithTheSameNumber()
    {
        var donor = _fx.Enrol();
        var personal = _fx.Donors.GetPersonalData(donor.Id, "coordinator.li", "read back in a test");
        _fx.Donors.Withdraw(donor.Id, "coordinator.li");

        var again = _fx.Donors.Enrol(new EnrolmentRequest(donor.Profile, personal), "organizer.wang");

        _fx.Donors.FindByNationalId(personal.NationalId).Should().Be(again.Id);
    }

    private static List<string> Candidates(Sex sex)
    {
        var list = new List<string>(64 * 500);
        foreach (var region in Regions)
        {
            for (var order = 0; order < 1000; order++)
            {
                if ((order % 2 == 1) != (sex == Sex.Male))
                {
                    continue;
                }

                var first17 = region + Born.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + order.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
                list.Add(first17 + NationalIdNumber.CheckCharacter(first17));
            }
        }

        return list;
    }

    private EnrolmentRequest Request(string nationalId, Sex sex = Sex.Female)
    {
        var request = _fx.Volunteers.Next(_fx.Today);
        return request with
        {
            Profile = request.Profile with { BirthDate = Born, Sex = sex },
            Personal = request.Personal with { NationalId = nationalId },
        };
    }
}
