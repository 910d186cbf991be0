using Bogus;
using DonorRegistry.Donors;

namespace DonorRegistry.FakeData;

/// <summary>
/// Realistic Chinese volunteers (Bogus, zh_CN) with valid resident ID numbers, reproducible from a seed.
/// Shared by the samples, the tests and the benchmarks (linked, not copied).
/// </summary>
internal sealed class Volunteers
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private static readonly string[] Regions = ["110105", "110108", "110101", "310104", "440106", "510107", "320102", "330106"];
    private static readonly string[] Relationships = ["父亲", "母亲", "配偶", "室友", "兄弟", "姐妹"];
    private readonly Faker _faker;
    private readonly Dictionary<(DateOnly, Sex), int> _issued = [];

    public Volunteers(int seed = 2026)
    {
        _faker = new Faker("zh_CN") { Random = new Randomizer(seed) };
    }

    /// <summary>A volunteer aged 18 to 45 on <paramref name="today"/>, enrolling through <paramref name="drive"/>.</summary>
    public EnrolmentRequest Next(DateOnly today, DriveId? drive = null, int? age = null, Sex? sex = null)
    {
        var years = age ?? _faker.Random.Int(18, 44);
        var birth = today.AddYears(-years).AddDays(-_faker.Random.Int(1, 360));
        var s = sex ?? _faker.PickRandom<Sex>();
        var profile = new DonorProfile(
            s,
            birth,
            _faker.PickRandom(AboGroup.O, AboGroup.A, AboGroup.B, AboGroup.AB),
            _faker.Random.Bool(0.996f) ? RhD.Positive : RhD.Negative,
            _faker.PickRandom(CmvStatus.Negative, CmvStatus.Positive, CmvStatus.Unknown),
            drive);
        var personal = new PersonalData(
            _faker.Name.LastName() + _faker.Name.FirstName(),
            ResidentId(birth, s),
            "1" + _faker.Random.Int(3, 9) + _faker.Random.ReplaceNumbers("#########"),
            _faker.Address.State() + _faker.Address.City() + _faker.Address.StreetAddress(),
            [new EmergencyContact(_faker.Name.LastName() + _faker.Name.FirstName(), _faker.PickRandom(Relationships), "13" + _faker.Random.ReplaceNumbers("#########"))]);
        return new EnrolmentRequest(profile, personal);
    }

    /// <summary>A fictional person's name (Bogus zh_CN), for a drive volunteer who is not a donor.</summary>
    /// <returns>The name.</returns>
    public string Name() => _faker.Name.LastName() + _faker.Name.FirstName();

    public IReadOnlyList<EnrolmentRequest> Many(int count, DateOnly today, DriveId? drive = null) =>
        Enumerable.Range(0, count).Select(_ => Next(today, drive)).ToList();

    /// <summary>A valid 18-character resident ID for a birth date and sex, unique within this generator.</summary>
    public string ResidentId(DateOnly birth, Sex sex)
    {
        // Counting per birth date and sex makes IDs unique by construction: 8 regions x 500 order numbers each.
        var sequence = _issued.TryGetValue((birth, sex), out var n) ? n : 0;
        _issued[(birth, sex)] = sequence + 1;
        var region = Regions[(sequence / 500) % Regions.Length];
        var order = ((sequence % 500) * 2) + (sex == Sex.Male ? 1 : 0); // odd for men, even for women
        var first17 = region + birth.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + order.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
        return first17 + CheckCharacter(first17);
    }

    /// <summary>The ISO 7064 MOD 11-2 check character (GB 11643-1999).</summary>
    private static char CheckCharacter(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return "10X98765432"[sum % 11];
    }

    public static TypingResult Typing(DateOnly on) => new(
        "中华骨髓库 HLA 实验室",
        on,
        new Dictionary<string, string>
        {
            ["A"] = "A*11:01+A*24:02",
            ["B"] = "B*46:01+B*40:01",
            ["C"] = "C*01:02+C*07:02",
            ["DRB1"] = "DRB1*09:01+DRB1*15:01",
            ["DQB1"] = "DQB1*03:03+DQB1*06:02",
        });
}
