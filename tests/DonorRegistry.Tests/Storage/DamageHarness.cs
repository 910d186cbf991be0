using System.Globalization;
using System.Text;
using System.Text.Json;
using DonorRegistry.Care;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.FakeData;
using DonorRegistry.Samples;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;

namespace DonorRegistry.Tests.Storage;

/// <summary>One way of damaging the database file: which bytes, and how.</summary>
internal sealed record FileDamage(string Kind, long Offset, int Length, byte Mask)
{
    public override string ToString() => Kind switch
    {
        "flip" => $"flip byte {Offset} (xor 0x{Mask:X2})",
        "zero" => $"zero {Length} bytes at {Offset} (page {Offset / DamageHarness.PageSize})",
        _ => $"truncate to {Offset} bytes",
    };

    public void Apply(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        switch (Kind)
        {
            case "flip":
                file.Position = Offset;
                var b = file.ReadByte();
                file.Position = Offset;
                file.WriteByte((byte)(b ^ Mask));
                break;
            case "zero":
                file.Position = Offset;
                file.Write(new byte[Math.Min(Length, file.Length - Offset)]);
                break;
            default:
                file.SetLength(Offset);
                break;
        }
    }
}

/// <summary>What one damaged copy led to.</summary>
internal enum DamageOutcome
{
    /// <summary>Opening or a read threw one of the library's documented exceptions for a bad file.</summary>
    Typed,

    /// <summary>Everything opened and read back, and <see cref="Registry.Verify"/> named the damage.</summary>
    ReportedByVerify,

    /// <summary>The bytes changed were not in use: every read gave the values written, and Verify found nothing.</summary>
    Harmless,

    /// <summary>A read gave a wrong value or lost a record, and nothing said so: the failure this harness hunts.</summary>
    SilentlyWrong,

    /// <summary>A .NET or engine exception came out of the library.</summary>
    Untyped,
}

/// <summary>
/// Builds a small real registry (donors through every common state, samples, a shipment, a drive with a lecture, a
/// match case, a donation record with a follow-up, a withdrawal), remembers every value it holds, then damages copies
/// of its database file and checks each copy: opening, reading every donor, sample, case, drive, donation record and
/// history, and <see cref="Registry.Verify"/> must either throw a typed library exception, or report the damage, or
/// read back exactly what was written.
/// </summary>
internal sealed class DamageHarness : IDisposable
{
    public const int PageSize = 8192;
    private const string By = "coordinator.li";

    private static readonly Type[] DamageExceptions =
        [typeof(RegistryDamagedException), typeof(NotARegistryException), typeof(RegistryKeyMismatchException), typeof(RegistryStorageException)];

    private readonly RegistryKey _key = RegistryKey.Generate();
    private readonly Dictionary<string, string> _expected = new(StringComparer.Ordinal);
    private readonly List<DonorId> _donors = [];
    private readonly List<string> _samples = [];
    private readonly List<string> _cases = [];
    private readonly List<DriveId> _drives = [];
    private readonly List<string> _donations = [];
    private int _runs;

    public DamageHarness()
    {
        Folder = Directory.CreateTempSubdirectory("donor-registry-damage-").FullName;
        var pristine = Directory.CreateDirectory(System.IO.Path.Combine(Folder, "pristine")).FullName;
        DatabasePath = System.IO.Path.Combine(pristine, "registry.db");
        using (var registry = Registry.Create(Options(DatabasePath, RegistryFixture.Start)))
        {
            Fill(registry);
        }

        using (var registry = Registry.Open(Options(DatabasePath)))
        {
            registry.Verify().IsClean.Should().BeTrue("the registry is sound before it is damaged");
            foreach (var (what, value) in ReadAll(registry))
            {
                _expected[what] = value;
            }
        }

        FileLength = new FileInfo(DatabasePath).Length;
    }

    public string Folder { get; }

    public string DatabasePath { get; }

    public long FileLength { get; }

    /// <summary>How many values the registry holds that every damaged copy is compared against.</summary>
    public int ExpectedValues => _expected.Count;

    /// <summary>
    /// The damaged variants, fixed: every page's header zeroed and flipped, seeded random flips over the whole file,
    /// a few zeroed runs, and truncations at page boundaries and inside pages.
    /// </summary>
    public IReadOnlyList<FileDamage> Variants(int seed, int randomFlips)
    {
        var pages = (int)(FileLength / PageSize);
        var variants = new List<FileDamage>();
        for (var page = 0; page < pages; page++)
        {
            variants.Add(new FileDamage("zero", (long)page * PageSize, PageSize, 0));
            variants.Add(new FileDamage("flip", ((long)page * PageSize) + 4, 1, 0x01)); // the page type byte
        }

        var random = new Random(seed);
        for (var i = 0; i < randomFlips; i++)
        {
            variants.Add(new FileDamage("flip", random.NextInt64(0, FileLength), 1, (byte)(1 << random.Next(8))));
        }

        for (var i = 0; i < 6; i++)
        {
            variants.Add(new FileDamage("zero", random.NextInt64(0, FileLength - 64), 64, 0));
        }

        foreach (var at in new[] { FileLength - PageSize, FileLength / 2, PageSize * 2L, FileLength - 100, PageSize + 17L })
        {
            if (at > 0 && at < FileLength)
            {
                variants.Add(new FileDamage("truncate", at, 0, 0));
            }
        }

        return variants;
    }

    /// <summary>Damages a fresh copy of the registry and checks it; returns the outcome and what was seen.</summary>
    public (DamageOutcome Outcome, string Detail) Run(FileDamage damage)
    {
        var folder = Directory.CreateDirectory(System.IO.Path.Combine(Folder, (++_runs).ToString(CultureInfo.InvariantCulture))).FullName;
        foreach (var file in Directory.GetFiles(System.IO.Path.GetDirectoryName(DatabasePath)!).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)))
        {
            File.Copy(file, System.IO.Path.Combine(folder, System.IO.Path.GetFileName(file)));
        }

        var path = System.IO.Path.Combine(folder, "registry.db");
        damage.Apply(path);

        var typed = new List<string>();
        var wrong = new List<string>();
        Registry registry;
        try
        {
            registry = Registry.Open(Options(path));
        }
        catch (Exception e) when (IsDamageException(e))
        {
            return (DamageOutcome.Typed, $"open: {e.GetType().Name}: {e.Message}");
        }
        catch (Exception e)
        {
            return (DamageOutcome.Untyped, $"open: {e}");
        }

        using (registry)
        {
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            try
            {
                foreach (var (what, value) in ReadAll(registry, typed))
                {
                    seen[what] = value;
                }
            }
            catch (Exception e)
            {
                return (DamageOutcome.Untyped, $"read: {e}");
            }

            foreach (var (what, value) in _expected)
            {
                if (!seen.TryGetValue(what, out var found))
                {
                    if (!typed.Any(t => t.StartsWith(what + ":", StringComparison.Ordinal)))
                    {
                        wrong.Add($"{what}: missing");
                    }
                }
                else if (found != value)
                {
                    wrong.Add($"{what}: read back {Short(found)}, written {Short(value)}");
                }
            }

            DonorRegistry.Verification.VerificationReport report;
            try
            {
                report = registry.Verify();
            }
            catch (Exception e)
            {
                return (DamageOutcome.Untyped, $"verify: {e}");
            }

            if (wrong.Count > 0 && report.IsClean && typed.Count == 0)
            {
                return (DamageOutcome.SilentlyWrong, string.Join("; ", wrong.Take(5)));
            }

            if (typed.Count > 0)
            {
                return (DamageOutcome.Typed, typed[0] + (report.IsClean ? "" : $"; Verify: {report.Problems[0]}"));
            }

            if (!report.IsClean)
            {
                return (DamageOutcome.ReportedByVerify, $"{report.Problems.Count} problem(s), first: {report.Problems[0]}{(wrong.Count > 0 ? $"; wrong reads: {wrong.Count}" : "")}");
            }

            return (DamageOutcome.Harmless, "every value read back as written; Verify clean");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }

    private static bool IsDamageException(Exception e) => DamageExceptions.Contains(e.GetType());

    private static string Short(string value) => value.Length <= 80 ? value : value[..80] + "…";

    private RegistryOptions Options(string path, DateTimeOffset? now = null) => new()
    {
        DatabasePath = path,
        RegistryKey = _key,
        TimeProvider = new FakeTimeProvider(now ?? RegistryFixture.Start.AddDays(30)),
    };

    private void Fill(Registry registry)
    {
        var clock = (FakeTimeProvider)registry.TimeProvider;
        var today = DateOnly.FromDateTime(RegistryFixture.Start.UtcDateTime);
        var volunteers = new Volunteers(12);
        var drive = new DriveId("PKU-2026-11");
        registry.Drives.Plan(new DrivePlan(drive, "北京大学秋季招募", DriveKind.Campus, "海淀区红十字会", "百年纪念讲堂", today, today.AddDays(2), 40), "organizer.wang");
        registry.Drives.OpenEnrolment(drive, "organizer.wang");
        registry.Drives.RecordLecture(drive, "百年纪念讲堂", today, 120, "张医生", "organizer.wang");
        _drives.Add(drive);

        var enrolled = registry.Drives.EnrolMany(drive, volunteers.Many(14, today, drive), "organizer.wang")
            .Concat(registry.Donors.EnrolMany(volunteers.Many(10, today), "organizer.zhao")).ToList();
        _donors.AddRange(enrolled.Select(d => d.Id));
        registry.Donors.ScreenOut(enrolled[0].Id, "血红蛋白偏低", "doctor.liu");

        var tubes = enrolled.Skip(1).Take(20).Select(d => registry.Samples.Collect(d.Id, $"TUBE-{d.Id.Value:D6}", SampleKind.BloodEdta, "nurse.chen").Barcode).ToList();
        _samples.AddRange(tubes);
        registry.Samples.Ship("中华骨髓库 HLA 实验室", tubes, "nurse.chen");
        registry.Samples.Receive(tubes, "lab.reception");
        clock.Advance(TimeSpan.FromDays(20));
        today = today.AddDays(20);
        registry.Samples.Reject(tubes[^1], "haemolysed", "lab.reception");
        foreach (var tube in tubes.SkipLast(1))
        {
            registry.Samples.RecordTyping(tube, Volunteers.Typing(today), "lab.hla");
        }

        var typed = enrolled.Skip(1).Take(19).Select(d => d.Id).ToList();
        foreach (var id in typed.Take(16))
        {
            registry.Donors.List(id, By);
        }

        registry.Donors.Defer(typed[3], today.AddDays(60), "出国交流", By);
        registry.Donors.Remove(typed[4], RemovalReason.Moved, "搬到外省", By);
        registry.Donors.Withdraw(typed[5], By);
        registry.Donors.Withdraw(enrolled[^1].Id, By);

        var matchCase = registry.Cases.Open(typed[6], "BJ-TC-2026-0007", By);
        registry.Cases.ContactDonor(matchCase.Id, By);
        registry.Cases.RecordConsent(matchCase.Id, By);
        var donated = registry.Cases.Open(typed[7], "BJ-TC-2026-0011", By);
        _cases.Add(matchCase.Id.Value);
        _cases.Add(donated.Id.Value);
        var record = registry.Care.RecordDonation(typed[7], new DonationDetails(donated.Id, DonationProduct.Pbsc, today.AddDays(-1), today, 5, "北京大学人民医院采集中心", DonationOutcome.Completed,
            [new AdverseEvent("G-CSF 后骨痛 (bone pain)", AdverseEventSeverity.Mild, today.AddDays(-2))]), By);
        clock.Advance(TimeSpan.FromDays(2));
        registry.Care.RecordFollowUp(record.Id, "D2", today.AddDays(2), DonorHealth.Well, null, "恢复良好", By);
        _donations.Add(record.Id);
        registry.Drives.CloseEnrolment(drive, "organizer.wang");
    }

    /// <summary>Every value the registry holds, as text; a typed damage exception is noted and the read moves on.</summary>
    private List<(string What, string Value)> ReadAll(Registry registry, List<string>? typed = null)
    {
        var values = new List<(string, string)>();
        void Read(string what, Func<object?> read)
        {
            try
            {
                values.Add((what, Render(read())));
            }
            catch (Exception e) when (typed is not null && IsDamageException(e))
            {
                typed.Add($"{what}: {e.GetType().Name}: {e.Message}");
            }
            catch (NotFoundException) when (typed is not null)
            {
                // Not read: compared as missing below.
            }
            catch (PersonalDataErasedException) when (typed is not null)
            {
                // Not read: compared as missing below.
            }
        }

        foreach (var id in _donors)
        {
            var key = id.ToString();
            Read($"donor {key}", () => registry.Donors.Get(id));
            Read($"history {key}", () => registry.Donors.GetHistory(id));
            Read($"samples of {key}", () => registry.Samples.FindByDonor(id));
            Read($"cases of {key}", () => registry.Cases.FindByDonor(id));
            Read($"donations of {key}", () => registry.Care.FindByDonor(id));
            Read($"personal data {key}", () => registry.Donors.TryGet(id, out var d) && !d.PersonalDataErased ? registry.Donors.GetPersonalData(id, "coordinator.li", "read back in a test") : "erased");
        }

        foreach (var state in Enum.GetValues<DonorState>().Where(s => s != DonorState.Prospect))
        {
            Read($"donors in {state}", () => registry.Donors.FindByState(state, limit: 100).Select(d => d.Id.ToString()).ToList());
        }

        foreach (var barcode in _samples)
        {
            Read($"sample {barcode}", () => registry.Samples.Get(barcode));
            Read($"sample history {barcode}", () => registry.GetHistory(AggregateKind.Sample, barcode));
        }

        foreach (var c in _cases)
        {
            Read($"case {c}", () => registry.Cases.Get(new CaseReference(c)));
            Read($"case history {c}", () => registry.GetHistory(AggregateKind.Case, c));
        }

        foreach (var drive in _drives)
        {
            Read($"drive {drive}", () => registry.Drives.Get(drive));
            Read($"drive history {drive}", () => registry.GetHistory(AggregateKind.Drive, drive.Value));
            Read($"donors of {drive}", () => registry.Donors.FindByDrive(drive, limit: 100).Select(d => d.Id.ToString()).ToList());
        }

        foreach (var donation in _donations)
        {
            Read($"donation {donation}", () => registry.Care.Get(donation));
            Read($"donation history {donation}", () => registry.GetHistory(AggregateKind.Donation, donation));
        }

        Read("drives", () => registry.Drives.FindAll());
        return values;
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false, IncludeFields = false };

    private static string Render(object? value) => value switch
    {
        null => "null",
        string s => s,
        _ => JsonSerializer.Serialize(value, value.GetType(), Json),
    };
}
