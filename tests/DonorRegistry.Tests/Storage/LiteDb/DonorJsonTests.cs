using Bogus;
using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Storage.LiteDb;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using FluentAssertions.Equivalency;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage.LiteDb;

/// <summary>
/// The direct donor encoder (<see cref="DonorJson"/>) against the reference (<see cref="DocumentCodec.EncodeDonorReference"/>:
/// the <see cref="DonorDocuments.Write"/> document through LiteDB's serialiser): the same text, byte for byte, for donors
/// in every state with every optional field present or not. A field added to <see cref="DonorDocuments.Write"/> and not
/// to <see cref="DonorJson"/> fails here.
/// </summary>
public sealed class DonorJsonTests
{
    private static readonly string[] KnownLoci = ["A", "B", "C", "DRB1", "DQB1", "DPB1"];
    private static readonly string[] OtherLoci = ["DRB3", "DRB4", "DPA1", "DQA1"];

    private static readonly string[] Awkward =
    [
        "",
        " ",
        "a\"b\\c/d",
        "\b\f\n\r\t\u0000\u0001\u001f\u007f",
        "\u00a0\u00ad\u200b\u200d\u2028\u2029\ufeff\ufffd\uffff",
        "e\u0301 \u0915\u093f \u20dd",
        "😀 🇨🇳 \ud83d",
        "\ude00 lone low",
        "<script>&amp;'</script>",
        "出国交流，预计三个月后回国。「暂缓」",
        "\uE000 private use",
        "A*02:01+A*24:02",
    ];

    [Test]
    public void AnyDonor_IsWrittenAsTheReferenceText()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2_000), Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var random = new Random(seed);
            var (donor, policy, nid, pd, nidp) = Generated(random);

            var reference = DocumentCodec.EncodeDonorReference(donor, policy, nid, pd, nidp);
            var direct = DonorJson.Encode(donor, policy, nid, pd, nidp);

            if (donor.Typing is null || donor.Typing.Loci.Keys.All(KnownLoci.Contains))
            {
                direct.Should().Be(reference, "seed {0}", seed);
            }
            else
            {
                direct.Should().BeNull("a locus outside the known ones is left to the reference (seed {0})", seed);
            }

            DocumentCodec.EncodeDonor(donor, policy, nid, pd, nidp).Should().Be(reference, "seed {0}", seed);
        }));
    }

    [Test]
    public void EveryUtf16CodeUnit_InAString_IsEscapedAsLiteDbEscapesIt()
    {
        var policy = new EligibilityPolicy();
        var nid = Guid.NewGuid();
        for (var start = 0; start < 0x10000; start += 0x1000)
        {
            var text = new string(Enumerable.Range(start, 0x1000).Select(c => (char)c).ToArray());
            var donor = Donor(new Random(start), DonorState.Ineligible);
            donor.StatusNote = text;
            donor.Typing = new TypingResult(text, new DateOnly(2026, 1, 2), new Dictionary<string, string> { ["A"] = text });

            DonorJson.Encode(donor, policy, nid, null, null).Should().Be(DocumentCodec.EncodeDonorReference(donor, policy, nid, null, null), "code units {0:x4} to {1:x4}", start, start + 0xfff);
        }
    }

    [Test]
    public void LargePersonalData_GrowsTheBuffer_AndIsWrittenWhole()
    {
        var policy = new EligibilityPolicy();
        var donor = Donor(new Random(3), DonorState.Available);
        donor.StatusNote = new string('字', 5_000);
        var pd = new byte[40_000];
        new Random(4).NextBytes(pd);

        var nid = Guid.NewGuid();

        DonorJson.Encode(donor, policy, nid, pd, pd).Should().Be(DocumentCodec.EncodeDonorReference(donor, policy, nid, pd, pd));
    }

    [Test]
    public void DonorsWalkedThroughTheLifecycle_AreWrittenAsTheReferenceText_InEveryState()
    {
        using var fx = new RegistryFixture(inMemory: true);
        var policy = new EligibilityPolicy();
        var random = new Random(18);
        var donors = new List<Donor>();
        foreach (var state in Enum.GetValues<DonorState>().Where(s => s != DonorState.Prospect))
        {
            donors.Add(fx.DonorIn(state));
            donors.Add(fx.DonorIn(state));
        }

        var withDrive = fx.Enrol(new DriveId("DRIVE-2026-BJ"));
        donors.Add(withDrive);
        donors.Add(fx.ListTyped(withDrive.Id, Volunteers.Typing(fx.Today).Loci));
        var donated = fx.DonorIn(DonorState.Donated);
        fx.Clock.Advance(TimeSpan.FromDays(200));
        fx.Donors.ApplyCalendar(fx.Clock.GetUtcNow());
        donors.Add(fx.Donors.Get(donated.Id));
        donors.Add(fx.Donors.Withdraw(donated.Id, "coordinator.li"));
        donors.Add(fx.Donors.Remove(fx.DonorIn(DonorState.TemporarilyUnavailable).Id, RemovalReason.Died, null, "coordinator.li"));

        foreach (var donor in donors)
        {
            var pd = random.Next(3) == 0 ? null : Bytes(random, random.Next(0, 400));
            var nidp = random.Next(3) == 0 ? null : Bytes(random, 32);
            var nid = new Guid(Bytes(random, 16));

            DocumentCodec.EncodeDonor(donor, policy, nid, pd, nidp).Should().Be(DocumentCodec.EncodeDonorReference(donor, policy, nid, pd, nidp), "{0} in {1}", donor.Id, donor.State);
            DonorJson.Encode(donor, policy, nid, pd, nidp).Should().NotBeNull();
        }

        donors.Select(d => d.State).Distinct().Should().HaveCount(Enum.GetValues<DonorState>().Length - 1);
    }

    [Test]
    public void AnyDonor_ReadsBackFromItsJson()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var random = new Random(seed);
            var (donor, policy, nid, pd, nidp) = Generated(random);

            var (read, readNid, readPd, readNidp) = DocumentCodec.DecodeDonor(DocumentCodec.EncodeDonor(donor, policy, nid, pd, nidp), "test", donor.Id.Value);

            read.Should().BeEquivalentTo(donor, o => ToTheMillisecond(o), "seed {0}", seed);
            read.EnrolledAt.Should().Be(Milliseconds(donor.EnrolledAt));
            read.StateSince.Should().Be(Milliseconds(donor.StateSince));
            readNid.Should().Be(nid);
            readPd.Should().Equal(pd);
            readNidp.Should().Equal(nidp);
        }));
    }

    private static EquivalencyAssertionOptions<Donor> ToTheMillisecond(EquivalencyAssertionOptions<Donor> options) =>
        options.Using<DateTimeOffset>(c => c.Subject.Should().Be(Milliseconds(c.Expectation))).WhenTypeIs<DateTimeOffset>();

    private static DateTimeOffset Milliseconds(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    /// <summary>A donor with a random choice of every field <see cref="DonorDocuments.Write"/> writes, and the fields beside it.</summary>
    private static (Donor Donor, EligibilityPolicy Policy, Guid Nid, byte[]? Pd, byte[]? Nidp) Generated(Random random)
    {
        var states = Enum.GetValues<DonorState>();
        var donor = Donor(random, states[random.Next(states.Length)]);
        var faker = new Faker("zh_CN") { Random = new Randomizer(random.Next()) };
        donor.StatusNote = random.Next(2) == 0 ? null : Text(random, faker);
        donor.SampleReference = random.Next(3) == 0 ? null : random.Next(2) == 0 ? "TUBE-" + random.Next() : Text(random, faker);
        donor.DeferredUntil = random.Next(2) == 0 ? null : Day(random);
        donor.ReservedFor = random.Next(2) == 0 ? null : new CaseReference(Code(random, "CASE-"));
        donor.RecoveryUntil = random.Next(2) == 0 ? null : Day(random);
        donor.Removal = random.Next(2) == 0 ? null : RemovalReason.All[random.Next(RemovalReason.All.Count)];
        donor.RemovedOn = random.Next(2) == 0 ? null : Day(random);
        donor.FirstListedOn = random.Next(2) == 0 ? null : Day(random);
        donor.PersonalDataErased = random.Next(4) == 0;
        if (random.Next(3) != 0)
        {
            var loci = (random.Next(6) == 0 ? KnownLoci.Concat(OtherLoci) : KnownLoci).OrderBy(_ => random.Next()).Take(random.Next(0, 8))
                .ToDictionary(l => l, l => random.Next(8) == 0 ? Text(random, faker) : $"{l}*{random.Next(1, 99):D2}:{random.Next(1, 99):D2}+{l}*{random.Next(1, 99):D2}:{random.Next(1, 99):D2}");
            donor.Typing = new TypingResult(random.Next(3) == 0 ? Text(random, faker) : "中华骨髓库 HLA 实验室", Day(random), loci);
        }

        if (random.Next(3) == 0)
        {
            var products = Enum.GetValues<DonationProduct>();
            donor.LastDonation = new Donation(new CaseReference(Code(random, "CASE-")), products[random.Next(products.Length)], Day(random));
        }

        var policy = new EligibilityPolicy { LeavingAge = random.Next(2) == 0 ? 60 : random.Next(40, 70) };
        var pd = random.Next(4) == 0 ? null : Bytes(random, random.Next(0, 700));
        var nidp = random.Next(4) == 0 ? null : Bytes(random, random.Next(0, 64));
        return (donor, policy, new Guid(Bytes(random, 16)), pd, nidp);
    }

    /// <summary>A donor in <paramref name="state"/> with a random profile, identity, version and instants (off the millisecond, in other offsets).</summary>
    private static Donor Donor(Random random, DonorState state)
    {
        var request = new Volunteers(random.Next()).Next(Day(random), random.Next(2) == 0 ? null : new DriveId(Code(random, "DRIVE-")));
        var ids = new[] { 1L, random.Next(1, 1_000_000), random.NextInt64(1, long.MaxValue), int.MaxValue + 1L };
        return new Donor(new DonorId(ids[random.Next(ids.Length)]), request.Profile, Instant(random))
        {
            Version = random.Next(3) == 0 ? random.Next(int.MinValue, int.MaxValue) : random.Next(1, 40),
            State = state,
            StateSince = Instant(random),
        };
    }

    private static DateTimeOffset Instant(Random random)
    {
        if (random.Next(50) == 0)
        {
            return random.Next(2) == 0 ? DateTimeOffset.MinValue : DateTimeOffset.MaxValue;
        }

        var utc = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 20_000));
        if (random.Next(3) == 0)
        {
            utc = new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        }

        var offset = TimeSpan.FromMinutes(random.Next(-12 * 60, 14 * 60 + 1));
        return random.Next(2) == 0 ? new DateTimeOffset(utc) : new DateTimeOffset(utc).ToOffset(offset);
    }

    private static DateOnly Day(Random random) => new DateOnly(1930, 1, 1).AddDays(random.Next(0, 40_000));

    private static string Code(Random random, string prefix) => prefix + random.Next(0, 100_000) + (random.Next(2) == 0 ? "" : "_a.b-C");

    private static string Text(Random random, Faker faker) => random.Next(5) switch
    {
        0 => faker.Lorem.Sentence(),
        1 => faker.Address.FullAddress() + "：" + faker.Name.FullName(),
        2 => Awkward[random.Next(Awkward.Length)],
        3 => new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => (char)random.Next(0, 0x10000)).ToArray()),
        _ => "出国交流 " + faker.Random.Int(1, 12) + " 个月",
    };

    private static byte[] Bytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
