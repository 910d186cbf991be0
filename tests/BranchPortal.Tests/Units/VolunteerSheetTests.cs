using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using BranchPortal.Forms;
using FluentAssertions;
using MiniExcelLibs;
using NUnit.Framework;

namespace BranchPortal.Tests.Units;

/// <summary>The volunteer sheet reader: CSV and XLSX round trips, and each refusal of a file as a whole.</summary>
public sealed class VolunteerSheetTests
{
    private static readonly string[] Alice =
    [
        "王芳", "110105199001011228", "女", "", "13800138000", "北京市朝阳区惠新东街10号, 2单元", "A", "Positive", "",
        "王强", "父亲", "13900139000",
    ];

    private static readonly string[] Bob =
    [
        "李\"小\"明", "110105199203041235", "Male", "1992-03-04", "13700137000", "北京市朝阳区\n第二行", "", "", "Negative",
        "", "", "",
    ];

    private static IReadOnlyList<IReadOnlyList<string>> Sheet => [[.. VolunteerSheet.Header], Alice, Bob];

    [Test]
    public void ACsvSheet_RoundTrips_WithQuotesCommasAndLineBreaks_AndRowNumbersAsTheSheetShows()
    {
        var bytes = Encoding.UTF8.GetBytes(VolunteerSheet.Csv(Sheet));

        var reading = VolunteerSheet.Read("volunteers.csv", bytes);

        reading.Refusal.Should().BeNull();
        reading.Rows.Select(r => r.Row).Should().Equal(2, 3);
        VolunteerSheet.Header.Select(h => reading.Rows[0].Cells[h]).Should().Equal(Alice);
        VolunteerSheet.Header.Select(h => reading.Rows[1].Cells[h]).Should().Equal(Bob);
    }

    [Test]
    public void ACsvSheet_WithAByteOrderMark_BlankRowsAndLfEndings_IsRead_BlankRowsKeepingTheNumbering()
    {
        var text = VolunteerSheet.HeaderLine.ToUpperInvariant() + "\n\n" + string.Join(',', Alice.Select(c => c.Contains(',') ? $"\"{c}\"" : c)) + "\n";
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();

        var reading = VolunteerSheet.Read("v.CSV", bytes);

        reading.Refusal.Should().BeNull();
        reading.Rows.Should().ContainSingle().Which.Row.Should().Be(3);
        reading.Rows[0].Cells["name"].Should().Be("王芳");
    }

    [Test]
    public void AnXlsxSheet_RoundTrips()
    {
        var reading = VolunteerSheet.Read("volunteers.xlsx", VolunteerSheet.Xlsx(Sheet));

        reading.Refusal.Should().BeNull();
        reading.Rows.Select(r => r.Row).Should().Equal(2, 3);
        VolunteerSheet.Header.Select(h => reading.Rows[0].Cells[h]).Should().Equal(Alice);
        VolunteerSheet.Header.Select(h => reading.Rows[1].Cells[h]).Should().Equal(Bob);
    }

    [Test]
    public void TheTemplates_AreReadAsOneExampleVolunteer()
    {
        foreach (var (name, bytes) in new[] { ("t.csv", VolunteerSheet.CsvTemplate()), ("t.xlsx", VolunteerSheet.XlsxTemplate()) })
        {
            var reading = VolunteerSheet.Read(name, bytes);
            reading.Refusal.Should().BeNull(name);
            reading.Rows.Should().ContainSingle(name);
            reading.Rows[0].Cells["national_id"].Should().Be("110105199001011234", name);
        }
    }

    [Test]
    public void AFileOverTheLimit_IsRefused()
    {
        var bytes = new byte[VolunteerSheet.MaxFileBytes + 1];
        Array.Fill(bytes, (byte)'\n');

        VolunteerSheet.Read("v.csv", bytes).Refusal.Should().Be(SheetRefusal.TooLarge);
    }

    [Test]
    public void AnEmptyFile_IsRefusedAsNoFile() =>
        VolunteerSheet.Read("v.csv", []).Refusal.Should().Be(SheetRefusal.NoFile);

    [TestCase("volunteers.txt")]
    [TestCase("volunteers.xls")]
    [TestCase("volunteers")]
    public void AFileNeitherCsvNorXlsx_IsRefused(string name) =>
        VolunteerSheet.Read(name, Encoding.UTF8.GetBytes(VolunteerSheet.Csv(Sheet))).Refusal.Should().Be(SheetRefusal.WrongType);

    [Test]
    public void AGbkCsv_IsRefusedAsNotUtf8()
    {
        var bytes = Encoding.UTF8.GetBytes(VolunteerSheet.HeaderLine + "\n").Concat(new byte[] { 0xCD, 0xF5, 0xB7, 0xBC, (byte)',', (byte)'\n' }).ToArray(); // 王芳 in GBK

        VolunteerSheet.Read("v.csv", bytes).Refusal.Should().Be(SheetRefusal.NotUtf8);
    }

    [Test]
    public void AWorkbookNamedCsv_IsRefusedAsNotUtf8() =>
        VolunteerSheet.Read("v.csv", VolunteerSheet.XlsxTemplate()).Refusal.Should().Be(SheetRefusal.NotUtf8);

    [Test]
    public void ACsvWithAQuoteLeftOpen_IsRefused()
    {
        var reading = VolunteerSheet.Read("v.csv", Encoding.UTF8.GetBytes(VolunteerSheet.HeaderLine + "\n\"王芳,1\n"));

        reading.Refusal.Should().Be(SheetRefusal.BadCsv);
        reading.Detail.Should().Be("2");
    }

    [Test]
    public void ATextFileNamedXlsx_IsRefusedAsNotXlsx() =>
        VolunteerSheet.Read("v.xlsx", Encoding.UTF8.GetBytes(VolunteerSheet.Csv(Sheet))).Refusal.Should().Be(SheetRefusal.NotXlsx);

    [Test]
    public void AnXlsxWithAFormula_IsRefused()
    {
        var bytes = WithFormula(VolunteerSheet.Xlsx(Sheet));

        VolunteerSheet.Read("v.xlsx", bytes).Refusal.Should().Be(SheetRefusal.Formulas);
    }

    [Test]
    public void AnXlsxWithTwoSheets_IsRefused()
    {
        using var stream = new MemoryStream();
        var rows = new[] { new Dictionary<string, object?> { ["A"] = "name" } };
        MiniExcel.SaveAs(stream, new Dictionary<string, object> { ["volunteers"] = rows, ["more"] = rows }, printHeader: false, excelType: ExcelType.XLSX);

        VolunteerSheet.Read("v.xlsx", stream.ToArray()).Refusal.Should().Be(SheetRefusal.ManySheets);
    }

    [Test]
    public void AnEmptySheet_OrAHeaderAlone_IsRefusedAsEmpty()
    {
        VolunteerSheet.Read("v.csv", Encoding.UTF8.GetBytes("\n\n")).Refusal.Should().Be(SheetRefusal.Empty);
        VolunteerSheet.Read("v.csv", Encoding.UTF8.GetBytes(VolunteerSheet.HeaderLine + "\n,,,\n")).Refusal.Should().Be(SheetRefusal.Empty);
        VolunteerSheet.Read("v.xlsx", VolunteerSheet.Xlsx([[.. VolunteerSheet.Header]])).Refusal.Should().Be(SheetRefusal.Empty);
        VolunteerSheet.Read("v.xlsx", VolunteerSheet.Xlsx([])).Refusal.Should().Be(SheetRefusal.Empty);
    }

    [TestCase("name,national_id,sex")]
    [TestCase("姓名,身份证号码,性别,出生日期,手机,地址,abo,rh,cmv,contact_name,contact_relationship,contact_phone")]
    [TestCase("national_id,name,sex,birth_date,phone,address,abo,rh,cmv,contact_name,contact_relationship,contact_phone")]
    [TestCase("name,national_id,sex,birth_date,phone,address,abo,rh,cmv,contact_name,contact_relationship,contact_phone,email")]
    public void AHeaderThatDoesNotMatch_IsRefused_NamingWhatItFound(string header)
    {
        var reading = VolunteerSheet.Read("v.csv", Encoding.UTF8.GetBytes(header + "\n" + string.Join(',', Bob.Select(_ => "x")) + "\n"));

        reading.Refusal.Should().Be(SheetRefusal.BadHeader);
        reading.Detail.Should().Be(header);
    }

    /// <summary>The workbook with a formula put in its first cell.</summary>
    /// <param name="xlsx">The workbook.</param>
    /// <returns>The changed workbook.</returns>
    internal static byte[] WithFormula(byte[] xlsx)
    {
        using var stream = new MemoryStream();
        stream.Write(xlsx);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.Entries.First(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal));
            string xml;
            using (var reader = new StreamReader(entry.Open()))
            {
                xml = reader.ReadToEnd();
            }

            var prefix = xml.Contains("<x:c ", StringComparison.Ordinal) ? "x:" : string.Empty;
            var cell = new Regex($"<{prefix}c [^>]*>").Match(xml, xml.IndexOf($"<{prefix}row ", StringComparison.Ordinal) + 1);
            xml = xml.Insert(cell.Index + cell.Length, $"<{prefix}f>1+1</{prefix}f>");
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(entry.FullName).Open(), new UTF8Encoding(false));
            writer.Write(xml);
        }

        return stream.ToArray();
    }
}
