using DonorRegistry.Donors;
using DonorRegistry.Protection;
using DonorRegistry.Storage;
using DonorRegistry.Storage.LiteDb;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage.LiteDb;

/// <summary>
/// The identity bits answer "no donor holds this number" without a read, so they must never say so of a number that
/// is stored: not for one written in this process (its fingerprint's bit), nor for one written before the file was
/// opened (its coarse identity's bit).
/// </summary>
public sealed class IdentityBitsTests
{
    [Test]
    public void EveryNumberWritten_MayBeHeld_AndFewOthersShareItsBit()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(20), Prop.ForAll(Arb.From(Gen.Choose(1, 100_000)), count =>
        {
            var bits = new IdentityBits();
            bits.EnsureLoaded(() => []);
            var written = Enumerable.Range(0, count).Select(_ => Number()).ToList();
            written.ForEach(bits.Add);

            written.Should().OnlyContain(identity => bits.MayHold(identity));
            var others = Enumerable.Range(0, 20_000).Select(_ => Number()).Count(bits.MayHold);
            others.Should().BeLessThan(20_000 / 100, "100,000 numbers set at most 0.6% of the 2^24 bits");
        }));
    }

    [Test]
    public void ANumberWrittenSinceTheOpen_IsToldApartFromAnotherWithTheSameStoredIdentity_ByItsFingerprint()
    {
        // ADR 12's identity is shared by many numbers on purpose; within one process the fingerprint tells them apart.
        var bits = new IdentityBits();
        bits.EnsureLoaded(() => []);
        var written = new NationalIdentity(Guid.NewGuid(), 0x5DEECE66DUL);
        bits.Add(written);

        bits.MayHold(written).Should().BeTrue();
        bits.MayHold(written with { Fingerprint = 0xB5026F5AA96619E9UL }).Should().BeFalse("no write carried this number");
    }

    [Test]
    public void AnIdentityHeldWhenTheFileWasOpened_MayBeHeldUnderAnyFingerprint()
    {
        // The file keeps no fingerprint: a donor stored before the open is found through the coarse identity alone.
        var stored = Guid.NewGuid();
        var bits = new IdentityBits();
        bits.EnsureLoaded(() => [stored]);

        Enumerable.Range(0, 100).Select(_ => new NationalIdentity(stored, (ulong)Random.Shared.NextInt64())).Should().OnlyContain(i => bits.MayHold(i));
        bits.MayHold(new NationalIdentity(Guid.NewGuid(), 1)).Should().BeFalse();
    }

    [Test]
    public void ResidentIdIdentities_WhichDifferInAFewBytes_SpreadOverTheBits()
    {
        // A resident ID's identity holds a birth day, a sex and 4 bits of the keyed hash: neighbouring days must not
        // fall on one bit, or every lookup of a busy cohort would read the store.
        var bits = new IdentityBits();
        var identities = (from day in Enumerable.Range(0, 2_000)
                          from sex in new[] { "1", "2" }
                          from hash in Enumerable.Range(0, 16)
                          select ResidentIdentity(new DateOnly(1990, 1, 1).AddDays(day), sex, hash)).ToList();
        bits.EnsureLoaded(() => identities);

        identities.Distinct().Should().HaveCount(64_000);
        var probes = (from day in Enumerable.Range(2_000, 500)
                      from hash in Enumerable.Range(0, 16)
                      select new NationalIdentity(ResidentIdentity(new DateOnly(1990, 1, 1).AddDays(day), "1", hash), (ulong)Random.Shared.NextInt64())).ToList();
        probes.Count(bits.MayHold).Should().BeLessThan(probes.Count / 50, "64,000 identities set under 1% of the bits");
    }

    [Test]
    public void PeopleBornOnOneDayOfOneSex_AreAllEnrolled_AndEachIsRefusedASecondTime_BeforeAndAfterAReopen()
    {
        // Forty numbers of one birth day and sex share ADR 12's 16 stored identities, so several share one: each is
        // told apart by its proof (and, in this process, its fingerprint), and none is taken for another.
        using var fx = new RegistryFixture();
        var born = new DateOnly(2000, 3, 15);
        var people = Enumerable.Range(0, 40).Select(i => Person(fx, born, order: 101 + (2 * i))).ToList();
        var identities = people.Select(p => new IdentityCheck(fx.Registry.Storage, NationalIdFormat.ChineseResidentId).IdentityOf(p.Personal.NationalId)).ToList();
        identities.Select(i => i.Stored).Distinct().Count().Should().BeLessThan(people.Count, "some of them share a stored identity");

        var first = fx.Donors.EnrolMany(people[..20], "organizer.wang");
        people[..20].Select(p => (Func<Donor>)(() => fx.Donors.Enrol(p, "organizer.wang"))).Should().OnlyContain(
            enrol => enrol.Should().Throw<DuplicateDonorException>().Which.ExistingDonorId != null);
        fx.Registry.Dispose();
        fx.Open();

        var second = fx.Donors.EnrolMany(people[20..], "organizer.wang");
        for (var i = 0; i < people.Count; i++)
        {
            var holder = i < 20 ? first[i].Id : second[i - 20].Id;
            var again = () => fx.Donors.Enrol(people[i], "organizer.wang");
            again.Should().Throw<DuplicateDonorException>().Which.ExistingDonorId.Should().Be(holder, $"person {i} is enrolled as {holder}");
        }

        fx.Donors.Count().Should().Be(people.Count);
    }

    [Test]
    public void ThePersonEnrolledBeforeTheFileWasOpened_IsRefused_InOneEnrolmentAndInALargeBatch()
    {
        using var fx = new RegistryFixture();
        var enrolled = fx.Enrol();
        var id = fx.Donors.GetPersonalData(enrolled.Id, "coordinator.li", "read back in a test").NationalId;
        fx.Registry.Dispose();
        fx.Open();

        var again = fx.Volunteers.Next(fx.Today);
        again = again with { Profile = enrolled.Profile, Personal = again.Personal with { NationalId = id } };
        var one = () => fx.Donors.Enrol(again, "organizer.wang");
        var batch = Enumerable.Range(0, 300).Select(_ => fx.Volunteers.Next(fx.Today)).ToList();
        batch[290] = again;
        var many = () => fx.Donors.EnrolMany(batch, "organizer.wang");

        one.Should().Throw<DuplicateDonorException>().Which.ExistingDonorId.Should().Be(enrolled.Id);
        many.Should().Throw<DuplicateDonorException>().Which.ExistingDonorId.Should().Be(enrolled.Id);
        fx.Donors.Count().Should().Be(1);
    }

    [Test]
    public void TheStoredIdentities_AreReadFromTheIndexKeysAlone_WithoutADocument()
    {
        using var fx = new RegistryFixture();
        fx.Enrol();

        var plan = ((LiteDbDonorStore)fx.Registry.Store.Donors).StoredIdentitiesQuery().GetPlan();

        plan["index"]["expr"].AsString.Should().Be("$.nid");
        plan["lookup"]["loader"].AsString.Should().Be("index", "a select of the indexed field alone is answered from its keys");
    }

    private static Guid ResidentIdentity(DateOnly born, string sex, int hash)
    {
        var normalised = $"110105{born:yyyyMMdd}00{sex}X";
        return NationalIdNumber.Identity(normalised, new Guid([(byte)hash, .. new byte[15]]), NationalIdFormat.ChineseResidentId);
    }

    private static NationalIdentity Number() => new(Guid.NewGuid(), (ulong)Random.Shared.NextInt64());

    /// <summary>A volunteer born on <paramref name="born"/>, a man (odd order number), with a valid resident ID.</summary>
    private static EnrolmentRequest Person(RegistryFixture fx, DateOnly born, int order)
    {
        var first17 = $"110105{born:yyyyMMdd}{order:D3}";
        var request = fx.Volunteers.Next(fx.Today);
        return request with
        {
            Profile = request.Profile with { BirthDate = born, Sex = Sex.Male },
            Personal = request.Personal with { NationalId = first17 + NationalIdNumber.CheckCharacter(first17) },
        };
    }
}
