using System.Text;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.FakeData;
using DonorRegistry.Samples;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Samples;

public sealed class TypingImportTests
{
    private const string By = "lab.import";
    private const string Lab = "中华骨髓库 HLA 实验室";
    private static readonly DriveId Pku = new("PKU-2026-03");
    private RegistryFixture _fx = null!;

    private SampleOperations Samples => _fx.Registry.Samples;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    /// <summary>A drive with <paramref name="count"/> donors whose samples are shipped: tubes T-0, T-1, ...</summary>
    private IReadOnlyList<Donor> ShippedDrive(int count, bool autoList = true)
    {
        _fx.Registry.Drives.Plan(new DrivePlan(Pku, "北大招募", DriveKind.Campus, "红会", "北大", _fx.Today, _fx.Today, 100, autoList), By);
        _fx.Registry.Drives.OpenEnrolment(Pku, By);
        var donors = _fx.Registry.Drives.EnrolMany(Pku, _fx.Volunteers.Many(count, _fx.Today), By);
        for (var i = 0; i < count; i++)
        {
            Samples.Collect(donors[i].Id, $"T-{i}", SampleKind.BloodEdta, By);
        }

        Samples.Ship(Lab, Enumerable.Range(0, count).Select(i => $"T-{i}").ToList(), By);
        return donors;
    }

    private TypingImportResult Import(string csv) => Samples.ImportTypingResults(new MemoryStream(Encoding.UTF8.GetBytes(csv)), Lab, _fx.Today, By, "results.csv");

    private string Csv(int count) => LabResults.Csv(Enumerable.Range(0, count).Select(i => ($"T-{i}", Typing())));

    private TypingResult Typing() => Volunteers.Typing(_fx.Today) with { Lab = Lab };

    [Test]
    public void Import_GoodRows_TypeTheSamplesAndDonorsAndListThemWhenTheDriveSaysSo()
    {
        var donors = ShippedDrive(3);

        var result = Import(Csv(3));

        result.Should().BeEquivalentTo(new TypingImportResult(3, 3, 0, 3, []));
        Samples.Get("T-0").State.Should().Be(SampleState.Typed);
        Samples.GetHistory("T-0").Select(t => t.To).Should().Equal(nameof(SampleState.Collected), nameof(SampleState.Shipped), nameof(SampleState.Received), nameof(SampleState.Typed));
        var donor = _fx.Donors.Get(donors[0].Id);
        donor.State.Should().Be(DonorState.Available);
        donor.Typing.Should().Be(Typing());
        _fx.Registry.Search.Find(new DonorRegistry.Search.SearchRequest(DonorRegistry.Hla.HlaTyping.FromLoci(Typing().Loci))).Matches.Should().HaveCount(3, "listed donors are searchable at once");
    }

    [Test]
    public void Import_ForADriveThatListsByHand_LeavesDonorsTyped()
    {
        var donors = ShippedDrive(2, autoList: false);

        var result = Import(Csv(2));

        result.Listed.Should().Be(0);
        _fx.Donors.Get(donors[1].Id).State.Should().Be(DonorState.Typed);
    }

    [Test]
    public void Import_TheSameFileTwice_ChangesNothingTheSecondTime()
    {
        var donors = ShippedDrive(3);
        var csv = Csv(3);
        Import(csv);
        var versions = donors.Select(d => _fx.Donors.Get(d.Id).Version).ToList();

        var again = Import(csv);

        again.Should().BeEquivalentTo(new TypingImportResult(3, 0, 3, 0, []));
        donors.Select(d => _fx.Donors.Get(d.Id).Version).Should().Equal(versions);
        Samples.GetHistory("T-2").Should().HaveCount(4);
    }

    [Test]
    public void Import_BadRows_AreReportedByLineAndDoNotStopTheGoodOnes()
    {
        ShippedDrive(5);
        Samples.Reject("T-4", "溶血", "lab");
        var csv = "Barcode,TypedOn,HLA-A,HLA-B,HLA-C,HLA-DRB1,HLA-DQB1\n"
            + "T-0,2026-11-29,A*11:01+A*24:02,B*46:01+B*40:01,,DRB1*09:01+DRB1*15:01,\n"
            + "NOPE-1,2026-11-29,A*11:01+A*24:02,B*46:01+B*40:01,,DRB1*09:01+DRB1*15:01,\n"
            + "T-1,2026-11-29,A*11:01+A*24:0x,B*46:01+B*40:01,,DRB1*09:01+DRB1*15:01,\n"
            + "T-2,2026-11-29,A*11:01+A*24:02,B*46:01+B*40:01,,,\n"
            + "T-3,29/11/2026,A*11:01+A*24:02,B*46:01+B*40:01,,DRB1*09:01+DRB1*15:01,\n"
            + "T-4,2026-11-29,A*11:01+A*24:02,B*46:01+B*40:01,,DRB1*09:01+DRB1*15:01,\n"
            + "T-0,2026-11-29,A*11:01+A*24:02,B*46:01+B*40:01,,DRB1*09:01+DRB1*15:01,\n";

        var result = Import(csv);

        result.Imported.Should().Be(1);
        result.Errors.Select(e => (e.Line, e.Barcode)).Should().Equal((3, "NOPE-1"), (4, "T-1"), (5, "T-2"), (6, "T-3"), (7, "T-4"), (8, "T-0"));
        result.Errors[0].Reason.Should().Contain("no sample");
        result.Errors[1].Reason.Should().Contain("A*24:0x");
        result.Errors[2].Reason.Should().Contain("DRB1");
        result.Errors[3].Reason.Should().Contain("29/11/2026");
        result.Errors[4].Reason.Should().Contain("rejected");
        result.Errors[5].Reason.Should().Contain("line 2");
        Samples.Get("T-1").State.Should().Be(SampleState.Shipped);
    }

    [Test]
    public void Import_ASampleAlreadyTypedDifferently_IsABadRowAndKeepsTheFirstTyping()
    {
        ShippedDrive(1);
        Import(Csv(1));
        var other = "Barcode,HLA-A,HLA-B,HLA-DRB1\nT-0,A*02:01+A*02:01,B*07:02,DRB1*01:01\n";

        var result = Import(other);

        result.Errors.Should().ContainSingle().Which.Reason.Should().Contain("already typed");
        _fx.Donors.Get(Samples.Get("T-0").DonorId).Typing.Should().Be(Typing());
    }

    [Test]
    public void Import_TwoColumnsPerLocusWithoutLocusPrefix_IsReadAsGenotypes()
    {
        var donors = ShippedDrive(1);
        var csv = "sample_id;A_1;A_2;B_1;B_2;DRB1_1;DRB1_2;Remarks\nT-0;02:01;24:02;B*07:02;;15:01;09:01;ok\n";

        var result = Import(csv);

        result.Imported.Should().Be(1, string.Join("; ", result.Errors));
        _fx.Donors.Get(donors[0].Id).Typing!.Loci.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["A"] = "A*02:01+A*24:02",
            ["B"] = "B*07:02",
            ["DRB1"] = "DRB1*15:01+DRB1*09:01",
        });
    }

    [Test]
    public void Import_ARowWhoseDonorCannotTakeATyping_IsABadRowAndTheOtherRowsOfItsBatchStillImport()
    {
        var donors = ShippedDrive(3);
        _fx.Donors.Withdraw(donors[1].Id, "coordinator.li");

        var result = Import(Csv(3));

        result.Imported.Should().Be(2);
        result.Errors.Should().ContainSingle().Which.Should().Match<TypingImportError>(e => e.Line == 3 && e.Barcode == "T-1" && e.Reason.Contains("Withdrawn"));
        Samples.Get("T-1").State.Should().Be(SampleState.Shipped, "the row's sample changes are rolled back with it");
        Samples.Get("T-2").State.Should().Be(SampleState.Typed);
    }

    [Test]
    public void Import_ACollectedSampleNeverShipped_IsABadRow()
    {
        var donor = _fx.Enrol();
        Samples.Collect(donor.Id, "T-9", SampleKind.BloodEdta, By);

        var result = Import("Barcode,A,B,DRB1\nT-9,A*02:01,B*07:02,DRB1*15:01\n");

        result.Errors.Should().ContainSingle().Which.Reason.Should().Contain("never shipped");
    }

    [TestCase("", "empty")]
    [TestCase("Barcode,HLA-A,HLA-B,HLA-DRB1\n", "no rows")]
    [TestCase("Tube,HLA-A,HLA-B\nT-0,A*02:01,B*07:02\n", "DRB1")]
    [TestCase("Name,HLA-A,HLA-B,HLA-DRB1\nT-0,A*02:01,B*07:02,DRB1*15:01\n", "no barcode column")]
    [TestCase("Barcode,HLA-A,A,HLA-B,HLA-DRB1\nT-0,A*02:01,A*02:01,B*07:02,DRB1*15:01\n", "twice")]
    public void Import_AFileThatCannotBeRead_ThrowsAndImportsNothing(string csv, string problem)
    {
        ShippedDrive(1);

        var act = () => Import(csv);

        act.Should().Throw<TypingImportException>().WithMessage($"*results.csv*{problem}*");
        Samples.Get("T-0").State.Should().Be(SampleState.Shipped);
    }

    [Test]
    public void Import_AGbkFile_IsRefusedAsNotUtf8WithTheLineAndImportsNothing()
    {
        ShippedDrive(1);
        var gbk = Encoding.UTF8.GetBytes("Barcode,HLA-A,HLA-B,HLA-DRB1,备注\nT-0,A*02:01,B*07:02,DRB1*15:01,")
            .Concat(new byte[] { 0xD5, 0xFD, 0xB3, 0xA3 }) // 正常 in GBK
            .Concat(Encoding.ASCII.GetBytes("\n")).ToArray();

        var act = () => Samples.ImportTypingResults(new MemoryStream(gbk), Lab, _fx.Today, By, "gbk.csv");

        act.Should().Throw<TypingImportException>().WithMessage("*gbk.csv*not UTF-8*0xD5*line 2*");
        Samples.Get("T-0").State.Should().Be(SampleState.Shipped);
    }

    [Test]
    public void Import_Utf16WithBom_IsRead()
    {
        ShippedDrive(1);
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("Barcode,A,B,DRB1\nT-0,A*02:01,B*07:02,DRB1*15:01\n")).ToArray();

        var result = Samples.ImportTypingResults(new MemoryStream(bytes), Lab, _fx.Today, By);

        result.Imported.Should().Be(1);
    }

    [Test]
    public void Import_FromAFile_NamesTheFileInErrors()
    {
        var path = Path.Combine(_fx.Folder, "typing-2026-11.csv");
        File.WriteAllText(path, "Barcode\n");

        var act = () => Samples.ImportTypingResults(path, Lab, _fx.Today, By);

        act.Should().Throw<TypingImportException>().WithMessage("*typing-2026-11.csv*");
    }

    [Test]
    public void Import_ReportedInTheFuture_IsRejected()
    {
        var act = () => Samples.ImportTypingResults(new MemoryStream(), Lab, _fx.Today.AddDays(1), By);

        act.Should().Throw<RegistryValidationException>().WithMessage("*reportedOn*");
    }

}
