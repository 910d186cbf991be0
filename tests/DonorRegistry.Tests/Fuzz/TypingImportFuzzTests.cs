using System.Text;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Samples;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace DonorRegistry.Tests.Fuzz;

/// <summary>The typing-results import against hostile CSV files: a refused file stores nothing, every row is accounted for.</summary>
public sealed class TypingImportFuzzTests
{
    private const string By = "lab.import";
    private static readonly string[] Columns = ["Barcode", "Tube", "Sample", "TypedOn", "Date", "HLA-A", "A", "A1", "A2", "A_1", "A_2", "B", "HLA-B", "B1", "B2", "C", "DRB1", "DRB11", "DRB12", "DQB1", "DPB1", "备注", "", "\"Barcode\"", "x"];
    private static readonly string[] Cells = ["T-0", "T-1", "T-2", "T-9", "A*02:01", "A*02:01+A*24:02", "B*07:02", "B*40:01+B*46:01", "DRB1*15:01", "DRB1*09:01+DRB1*15:01", "C*01:02", "02:01", "24:02", "-", "", "2026-11-29", "2026/11/28", "20261127", "2099-01-01", "not a date", "A*99:99", "B*07:02N"];

    private static Gen<string> Cell { get; } = Gen.Frequency((5, Gen.Elements(Cells)), (2, Fuzz.Texts.Select(t => t ?? string.Empty)));

    /// <summary>A CSV file: a header of known and odd column names, rows of plausible and hostile cells, mixed line ends and quotes.</summary>
    private static Gen<byte[]> File { get; } =
        from header in Gen.Frequency(
            (1, Gen.Elements(Columns).ArrayOf()),
            (2, Gen.Elements(Columns).ArrayOf().Select(extra => new[] { "Barcode", "HLA-A", "HLA-B", "HLA-DRB1" }.Concat(extra.Take(2)).ToArray())))
        from rows in Cell.ArrayOf().ArrayOf()
        from newline in Gen.Elements("\n", "\r\n", "\r")
        from quote in Gen.Elements(false, true)
        from encoding in Gen.Elements(0, 0, 0, 1, 2)
        select Encode(string.Join(newline, new[] { header }.Concat(rows).Select(r => string.Join(",", r.Select(c => quote ? "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : c)))), encoding);

    private static byte[] Encode(string text, int encoding) => encoding switch
    {
        1 => Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray(),
        2 => Encoding.UTF8.GetBytes(text).Select((b, i) => i % 97 == 13 ? (byte)0xFF : b).ToArray(), // not UTF-8
        _ => Encoding.UTF8.GetBytes(text),
    };

    [Test]
    public void HostileFiles_AreImportedOrRefusedWithTypingImportException_ARefusedFileStoresNothing_AndEveryRowIsAccountedFor()
    {
        using var fx = new RegistryFixture(inMemory: true);
        var drive = new DriveId("PKU-2026-12");
        fx.Registry.Drives.Plan(new DrivePlan(drive, "北大招募", DriveKind.Campus, "红会", "北大", fx.Today, fx.Today, 100), By);
        fx.Registry.Drives.OpenEnrolment(drive, By);
        var donors = fx.Registry.Drives.EnrolMany(drive, fx.Volunteers.Many(3, fx.Today), By);
        for (var i = 0; i < donors.Count; i++)
        {
            fx.Registry.Samples.Collect(donors[i].Id, $"T-{i}", SampleKind.BloodEdta, By);
        }

        fx.Registry.Samples.Ship("实验室", ["T-0", "T-1", "T-2"], By);
        var documented = Fuzz.Documented(typeof(SampleOperations), nameof(SampleOperations.ImportTypingResults));
        int refused = 0, imported = 0;

        Check.One(Fuzz.Config, Prop.ForAll(Arb.From(File), bytes =>
        {
            var before = Fuzz.Fingerprint(fx.Registry);
            TypingImportResult result;
            try
            {
                result = fx.Registry.Samples.ImportTypingResults(new MemoryStream(bytes), "中华骨髓库 HLA 实验室", fx.Today, By, "fuzz.csv");
            }
            catch (Exception e) when (Fuzz.IsDocumented(e, documented))
            {
                refused++;
                e.Should().BeOfType<TypingImportException>();
                e.Message.Length.Should().BeLessThan(1_000);
                Fuzz.Fingerprint(fx.Registry).Should().Be(before, "a refused file stores nothing ({0})", e.Message);
                return;
            }

            imported += result.Imported;
            (result.Imported + result.AlreadyImported + result.Errors.Count).Should().Be(result.Rows, "each row is imported, already imported or an error");
            result.Errors.Select(e => e.Line).Should().BeInAscendingOrder();
            result.Errors.Should().NotContain(e => e.Reason.Length >= 600 || e.Barcode.Length > 41, "a reason is short and a barcode is shown cut");
        }));

        TestContext.Out.WriteLine($"{Fuzz.Inputs:N0} files: {refused:N0} refused whole, {imported:N0} rows imported");
    }

    [Test]
    public void AUtf16FileWithABlankLine_ImportsEveryRow_WithNoErrors()
    {
        // Found by the fuzz test above in CI: a file with no bad row failed its check on the (empty) error list.
        using var fx = new RegistryFixture(inMemory: true);
        ShipOneTube(fx);
        var text = "Barcode,HLA-A,HLA-B,HLA-DRB1,TypedOn,\n\nT-0,A*02:01+A*24:02,B*07:02,DRB1*15:01,2026-11-29,\n";
        var csv = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray();

        var result = fx.Registry.Samples.ImportTypingResults(new MemoryStream(csv), "实验室", fx.Today, By);

        result.Errors.Should().BeEmpty(string.Join("; ", result.Errors.Select(e => e.Reason)));
        result.Imported.Should().Be(1);
        fx.Registry.Samples.Get("T-0").State.Should().Be(SampleState.Typed);
    }

    [Test]
    public void AFileLargerThanTheLimit_IsRefusedBeforeAnythingIsImported_FromAStreamThatCannotSeekToo()
    {
        using var fx = new RegistryFixture(inMemory: true, configure: o => o.MaxTypingFileBytes = 4096);
        var csv = Encoding.UTF8.GetBytes("Barcode,A,B,DRB1\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"T-{i},A*02:01,B*07:02,DRB1*15:01\n")));
        var before = Fuzz.Fingerprint(fx.Registry);

        var seekable = () => fx.Registry.Samples.ImportTypingResults(new MemoryStream(csv), "实验室", fx.Today, By);
        var forward = () => fx.Registry.Samples.ImportTypingResults(new ForwardOnly(csv), "实验室", fx.Today, By);

        seekable.Should().Throw<TypingImportException>().WithMessage("*6,* bytes*at most 4,096 bytes*MaxTypingFileBytes*");
        forward.Should().Throw<TypingImportException>().WithMessage("*more than 4,096 bytes*");
        Fuzz.Fingerprint(fx.Registry).Should().Be(before);
    }

    [Test]
    public void AStreamThatCannotSeek_IsImportedLikeAFile()
    {
        using var fx = new RegistryFixture(inMemory: true);
        var csv = Encoding.UTF8.GetBytes("Barcode,A,B,DRB1\nT-0,A*02:01,B*07:02,DRB1*15:01\nbad barcode!,A*02:01,B*07:02,DRB1*15:01\n");

        var result = fx.Registry.Samples.ImportTypingResults(new ForwardOnly(csv), "实验室", fx.Today, By);

        result.Rows.Should().Be(2);
        result.Errors.Select(e => e.Line).Should().Equal(2, 3);
    }

    [Test]
    public void AnAlleleCellOfOnlyTheHlaPrefix_IsABadRow_NotACrash()
    {
        // Found by the fuzz test above: "HLA-" alone in an allele column threw IndexOutOfRangeException.
        using var fx = new RegistryFixture(inMemory: true);
        var csv = Encoding.UTF8.GetBytes("Barcode,A1,A2,B,DRB1\nT-0,HLA-,02:01,B*07:02,DRB1*15:01\n");

        var result = fx.Registry.Samples.ImportTypingResults(new MemoryStream(csv), "实验室", fx.Today, By);

        result.Errors.Should().ContainSingle().Which.Line.Should().Be(2);
    }

    [Test]
    public void AnUnclosedQuote_IsRefusedAsAFileThatCannotBeRead()
    {
        using var fx = new RegistryFixture(inMemory: true);
        var csv = Encoding.UTF8.GetBytes("Barcode,A,B,DRB1\nT-0,\"A*02:01," + new string('x', 2 * 1024 * 1024) + "\n");

        var act = () => fx.Registry.Samples.ImportTypingResults(new MemoryStream(csv), "实验室", fx.Today, By);

        act.Should().Throw<TypingImportException>().WithMessage("*cannot be read*quote*");
    }

    [Test]
    public void ABadByteAfterTheFirstBatch_StillImportsNothing()
    {
        using var fx = new RegistryFixture(inMemory: true);
        ShipOneTube(fx);
        var text = "Barcode,A,B,DRB1\nT-0,A*02:01,B*07:02,DRB1*15:01\n" + string.Concat(Enumerable.Range(1, 3_000).Select(i => $"U-{i},A*02:01,B*07:02,DRB1*15:01\n"));
        var bytes = Encoding.UTF8.GetBytes(text).Concat(new byte[] { 0xC3, 0x28, (byte)'\n' }).ToArray();

        var act = () => fx.Registry.Samples.ImportTypingResults(new MemoryStream(bytes), "实验室", fx.Today, By);

        act.Should().Throw<TypingImportException>().WithMessage("*not UTF-8*0xC3 0x28*line 3003;*");
        fx.Registry.Samples.Get("T-0").State.Should().Be(SampleState.Shipped);
    }

    /// <summary>One donor enrolled at a campus drive, tube T-0 collected and shipped to the lab.</summary>
    private static void ShipOneTube(RegistryFixture fx)
    {
        var drive = new DriveId("PKU-2026-12");
        fx.Registry.Drives.Plan(new DrivePlan(drive, "北大招募", DriveKind.Campus, "红会", "北大", fx.Today, fx.Today, 100), By);
        fx.Registry.Drives.OpenEnrolment(drive, By);
        var donor = fx.Registry.Drives.Enrol(drive, fx.Volunteers.Next(fx.Today), By);
        fx.Registry.Samples.Collect(donor.Id, "T-0", SampleKind.BloodEdta, By);
        fx.Registry.Samples.Ship("实验室", ["T-0"], By);
    }

    /// <summary>A stream that reads forward only, as a network stream or a pipe does.</summary>
    private sealed class ForwardOnly(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    }
}
