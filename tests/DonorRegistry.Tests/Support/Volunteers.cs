using Bogus;
using DonorRegistry.Donors;
using DonorRegistry.Protection;

namespace DonorRegistry.Tests.Support;

/// <summary>Realistic Chinese volunteers (Bogus, zh_CN) with valid resident ID numbers, reproducible from a seed.</summary>
internal sealed class Volunteers
{
    private static readonly string[] Regions = ["110105", "110108", "110101", "310104", "440106", "510107", "320102", "330106"];
    private static readonly string[] Relationships = ["父亲", "母亲", "配偶", "室友", "兄弟", "姐妹"];
    private readonly Faker _faker;
    private int _sequence;

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

    public IReadOnlyList<EnrolmentRequest> Many(int count, DateOnly today, DriveId? drive = null) =>
        Enumerable.Range(0, count).Select(_ => Next(today, drive)).ToList();

    /// <summary>A valid 18-character resident ID for a birth date and sex, unique within this generator.</summary>
    public string ResidentId(DateOnly birth, Sex sex)
    {
        var sequence = _sequence++ % 500;
        var order = (sequence * 2) + (sex == Sex.Male ? 1 : 0); // odd for men, even for women
        var first17 = _faker.PickRandom(Regions) + birth.ToString("yyyyMMdd") + order.ToString("D3");
        return first17 + NationalIdNumber.CheckCharacter(first17);
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
