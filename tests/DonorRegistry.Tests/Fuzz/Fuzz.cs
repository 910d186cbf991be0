using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using FsCheck;
using FsCheck.Fluent;

namespace DonorRegistry.Tests.Fuzz;

/// <summary>
/// What the fuzz tests share: how many inputs a target gets (5,000 in CI; 100,000 with <c>DONORREGISTRY_FUZZ=long</c>),
/// generators of hostile text and days, the exceptions the XML docs name for a public member, and a fingerprint of
/// everything a registry stores (to show that a refused input stored nothing).
/// </summary>
internal static class Fuzz
{
    /// <summary>Inputs per target: 5,000, or 100,000 when the environment variable <c>DONORREGISTRY_FUZZ</c> is <c>long</c>.</summary>
    public static int Inputs { get; } = string.Equals(Environment.GetEnvironmentVariable("DONORREGISTRY_FUZZ"), "long", StringComparison.OrdinalIgnoreCase) ? 100_000 : 5_000;

    /// <summary>The FsCheck run for a target: <see cref="Inputs"/> tests, failing with the smallest counter-example.</summary>
    public static Config Config => FsCheck.Config.QuickThrowOnFailure.WithMaxTest(Inputs).WithEndSize(60);

    /// <summary>Pieces that text is made of: HLA syntax, ID digits, CSV syntax, CJK, combining marks, controls, lone surrogates, bidi marks.</summary>
    public static readonly string[] Fragments =
    [
        "A", "B", "C", "DRB1", "DQB1", "DPB1", "HLA-", "*", ":", "01", "02", "24", "101", "9999", "+", "/", "^", "~", "N", "L", "S", "Q", "G", "P", "g", "AB", "XX",
        "1101", "19900101", "X", "x", "0", "9", "-", "_", ".", " ", "\t", "\n", "\r\n", ",", ";", "\"", "\"\"", "'", "\\",
        "王", "芳", "北京", "é", "e\u0301", "\u00A0", "\u200B", "\u202E", "\uFEFF", "𠀀", "\0", "\u0007", "\u001b[2J", "\u007f", "\u0085", "\u009b",
        "\ud800", "\udfff", "T-0", "T-1", "DR-00000001", "CASE-00000001", "DON-00000001", "PKU-2026-12", "13812345678", "110105199001011234",
    ];

    /// <summary>Hostile text: fragments joined, random UTF-16 units, blanks, nulls, and long runs.</summary>
    public static Gen<string?> Texts { get; } = Gen.Frequency(
        (6, Gen.Elements(Fragments).ArrayOf().Select(parts => (string?)string.Concat(parts))),
        (2, Gen.Choose(0, 0xFFFF).Select(c => (char)c).ArrayOf().Select(cs => (string?)new string(cs))),
        (1, Gen.Elements<string?>(null, string.Empty, " ", "\t\n", "\u3000")),
        (1, Gen.Choose(0, 5_000).SelectMany(n => Gen.Elements('9', 'A', ' ', '王', '\0').Select(c => (string?)new string(c, n)))));

    /// <summary>Days: the ends of the calendar, days around today, and any day.</summary>
    public static Gen<DateOnly> Day(DateOnly today) => Gen.Frequency(
        (1, Gen.Elements(DateOnly.MinValue, DateOnly.MaxValue, new DateOnly(1899, 12, 31), new DateOnly(2200, 1, 1))),
        (4, Gen.Choose(-800, 800).Select(d => today.AddDays(d))),
        (2, Gen.Choose(0, DateOnly.MaxValue.DayNumber).Select(DateOnly.FromDayNumber)));

    /// <summary>Random hostile text from a seeded generator (for verbs with many arguments).</summary>
    public static string? Text(Random random, params string[] valid) => random.Next(10) switch
    {
        < 3 when valid.Length > 0 => valid[random.Next(valid.Length)],
        < 8 => string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => Fragments[random.Next(Fragments.Length)])),
        8 => random.Next(4) switch { 0 => null, 1 => string.Empty, 2 => " ", _ => new string('x', random.Next(100, 3_000)) },
        _ => new string(Enumerable.Range(0, random.Next(0, 30)).Select(_ => (char)random.Next(0, 0x10000)).ToArray()),
    };

    /// <summary>A random day from a seeded generator.</summary>
    public static DateOnly Day(Random random, DateOnly today) => random.Next(6) switch
    {
        0 => random.Next(2) == 0 ? DateOnly.MinValue : DateOnly.MaxValue,
        1 => DateOnly.FromDayNumber(random.Next(0, DateOnly.MaxValue.DayNumber)),
        _ => today.AddDays(random.Next(-400, 400)),
    };

    /// <summary>The exception types the XML docs name for every overload of <paramref name="type"/>.<paramref name="member"/>.</summary>
    public static IReadOnlySet<string> Documented(Type type, string member)
    {
        var prefix = $"M:{type.FullName}.{member}";
        return Docs.Value
            .Where(m => m.Attribute("name")?.Value is { } name && (name == prefix || name.StartsWith(prefix + "(", StringComparison.Ordinal)))
            .SelectMany(m => m.Elements("exception"))
            .Select(e => e.Attribute("cref")!.Value[2..])
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Whether <paramref name="exception"/> (or a base type of it below the root) is one the docs name.</summary>
    public static bool IsDocumented(Exception exception, IReadOnlySet<string> documented)
    {
        for (var t = exception.GetType(); t is not null && t != typeof(DonorRegistryException) && t != typeof(Exception); t = t.BaseType)
        {
            if (documented.Contains(t.FullName!))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A hash of every document of every collection (each read in its primary-key order): equal before and after means nothing was stored.</summary>
    public static string Fingerprint(Registry registry)
    {
        var db = registry.Store.Database;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // The access log is left out: a refusal stores its entry there by design (tests/DonorRegistry.Tests/Access).
        foreach (var name in db.GetCollectionNames().Where(n => n != "access_log").Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            foreach (var doc in db.GetCollection(name).FindAll())
            {
                hash.AppendData(LiteDB.BsonSerializer.Serialize(doc));
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>A short, printable form of a value for a failure message.</summary>
    public static string Show(object? value) =>
        value is string s ? $"\"{Guard.Prefix(s, 60)}\" ({s.Length.ToString(CultureInfo.InvariantCulture)} chars)" : value?.ToString() ?? "null";

    private static readonly Lazy<List<XElement>> Docs = new(() =>
    {
        var path = Path.ChangeExtension(typeof(Registry).Assembly.Location, ".xml");
        return XDocument.Load(path).Root!.Element("members")!.Elements("member").ToList();
    });
}
