using DonorRegistry.Donors;
using DonorRegistry.Storage.LiteDb;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage.LiteDb;

/// <summary>
/// The identity bits answer "no donor holds this identity" without a read, so they must never say so of an identity
/// that is stored: not for one written in this process, nor for one written before the file was opened.
/// </summary>
public sealed class IdentityBitsTests
{
    [Test]
    public void EveryIdentityAdded_MayBeHeld_AndFewOthersShareItsBit()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(20), Prop.ForAll(Arb.From(Gen.Choose(1, 50_000)), count =>
        {
            var bits = new IdentityBits();
            bits.EnsureLoaded(() => []);
            var added = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToList();
            added.ForEach(bits.Add);

            added.Should().OnlyContain(identity => bits.MayHold(identity));
            var others = Enumerable.Range(0, 20_000).Select(_ => Guid.NewGuid()).Count(bits.MayHold);
            others.Should().BeLessThan(20_000 / 50, "50,000 identities set at most 0.6% of the 2^23 bits");
        }));
    }

    [Test]
    public void ResidentIdIdentities_WhichDifferInAFewBytes_SpreadOverTheBits()
    {
        // A resident ID's identity holds a birth day, a sex and 4 bits of the keyed hash: neighbouring days must not
        // fall on one bit, or every lookup of a busy cohort would read the store.
        var bits = new IdentityBits();
        bits.EnsureLoaded(() => []);
        var identities = (from day in Enumerable.Range(0, 2_000)
                          from sex in new[] { "1", "2" }
                          from hash in Enumerable.Range(0, 16)
                          select ResidentIdentity(new DateOnly(1990, 1, 1).AddDays(day), sex, hash)).ToList();
        identities.ForEach(bits.Add);

        identities.Distinct().Should().HaveCount(64_000);
        var probes = (from day in Enumerable.Range(2_000, 500)
                      from hash in Enumerable.Range(0, 16)
                      select ResidentIdentity(new DateOnly(1990, 1, 1).AddDays(day), "1", hash)).ToList();
        probes.Count(bits.MayHold).Should().BeLessThan(probes.Count / 50, "64,000 identities set under 1% of the bits");
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
        return DonorRegistry.Protection.NationalIdNumber.Identity(normalised, new Guid([(byte)hash, .. new byte[15]]), NationalIdFormat.ChineseResidentId);
    }
}
