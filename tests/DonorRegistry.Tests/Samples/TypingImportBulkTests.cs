using System.Text;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.FakeData;
using DonorRegistry.Samples;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Samples;

/// <summary>The import's bulk paths: the barcodes of a batch found in one read, and genotypes checked once per import.</summary>
public sealed class TypingImportBulkTests
{
    private const string By = "lab.import";
    private const string Lab = "中华骨髓库 HLA 实验室";
    private const string Genotypes = "A*11:01+A*24:02,B*46:01+B*40:01,DRB1*09:01+DRB1*15:01";
    private static readonly DriveId Pku = new("PKU-2026-04");
    private RegistryFixture _fx = null!;

    private SampleOperations Samples => _fx.Registry.Samples;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    private void ShippedDrive(int count)
    {
        _fx.Registry.Drives.Plan(new DrivePlan(Pku, "北大招募", DriveKind.Campus, "红会", "北大", _fx.Today, _fx.Today, 100, true), By);
        _fx.Registry.Drives.OpenEnrolment(Pku, By);
        var donors = _fx.Registry.Drives.EnrolMany(Pku, _fx.Volunteers.Many(count, _fx.Today), By);
        for (var i = 0; i < count; i++)
        {
            Samples.Collect(donors[i].Id, $"T-{i}", SampleKind.BloodEdta, By);
        }

        Samples.Ship(Lab, Enumerable.Range(0, count).Select(i => $"T-{i}").ToList(), By);
    }

    private TypingImportResult Import(string csv) => Samples.ImportTypingResults(new MemoryStream(Encoding.UTF8.GetBytes(csv)), Lab, _fx.Today, By, "results.csv");

    [Test]
    public void Import_UnknownTubesAcrossManyBatches_AreEachAnErrorOnTheirLineAndTheKnownTubesBetweenThemImport()
    {
        ShippedDrive(3);
        var csv = new StringBuilder("Barcode,HLA-A,HLA-B,HLA-DRB1\n");
        var known = new Dictionary<int, string> { [10] = "T-0", [700] = "T-1", [1300] = "T-2" };
        for (var i = 0; i < 1_400; i++)
        {
            csv.Append(known.GetValueOrDefault(i, $"U-{i}")).Append(',').Append(Genotypes).Append('\n');
        }

        var result = Import(csv.ToString());
        var again = Import(csv.ToString());

        result.Imported.Should().Be(3);
        result.Errors.Should().HaveCount(1_397);
        result.Errors.Select(e => e.Line).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems().And.NotContain(known.Keys.Select(i => i + 2));
        result.Errors.Should().AllSatisfy(e => e.Reason.Should().Be($"no sample with barcode {e.Barcode} is in the registry; check the tube label"));
        result.Errors.Should().Contain(e => e.Line == 1_401 && e.Barcode == "U-1399");
        Enumerable.Range(0, 3).Should().AllSatisfy(i => Samples.Get($"T-{i}").State.Should().Be(SampleState.Typed));
        again.Imported.Should().Be(0);
        again.AlreadyImported.Should().Be(3, "importing the same file again changes nothing");
        again.Errors.Should().BeEquivalentTo(result.Errors);
    }

    [Test]
    public void Import_AMalformedGenotypeOnManyRows_IsRefusedOnEachWithTheReasonASingleCheckGives()
    {
        ShippedDrive(4);
        const string bad = "A*11:01+A*24:0x";
        var csv = "Barcode,HLA-A,HLA-B,HLA-DRB1\n" + string.Concat(Enumerable.Range(0, 4).Select(i => $"T-{i},{bad},B*46:01+B*40:01,DRB1*09:01+DRB1*15:01\n"));
        var single = new TypingResult(Lab, _fx.Today, new Dictionary<string, string> { ["A"] = bad, ["B"] = "B*46:01+B*40:01", ["DRB1"] = "DRB1*09:01+DRB1*15:01" });
        var expected = FluentActions.Invoking(() => _fx.Registry.Donors.ValidateTyping(single)).Should().Throw<DonorRegistryException>().Which.Message;

        var result = Import(csv);

        result.Imported.Should().Be(0);
        result.Errors.Select(e => e.Reason).Should().Equal(Enumerable.Repeat(expected, 4));
        Enumerable.Range(0, 4).Should().AllSatisfy(i => Samples.Get($"T-{i}").State.Should().Be(SampleState.Shipped));
    }

    [TestCase("A", "A*02:01+A*24:02")]
    [TestCase("A", "A*02:01")]
    [TestCase("B", "B*07:02+B*07:02")]
    [TestCase("A", "A*24:0x")]
    [TestCase("A", "B*07:02")]
    [TestCase("DRB1", "DRB1*15:01+")]
    [TestCase("A", "")]
    [TestCase("A", "HLA-")]
    public void GenotypeChecks_AnswerEachGenotypeAsTheDonorCheckDoesTheFirstTimeAndEveryTimeAfter(string locus, string genotype)
    {
        var release = DonorRegistry.Hla.HlaReference.None;
        var direct = Outcome(() => DonorInputs.Genotype(locus, genotype, release));
        var checks = new GenotypeChecks(release);

        var outcomes = Enumerable.Range(0, 3).Select(_ => Outcome(() => checks.Check(locus, genotype))).ToList();

        outcomes.Should().AllBeEquivalentTo(direct);
        checks.Remembered.Should().Be(2, "the genotype is checked once and remembered after");
    }

    [Test]
    public void FindMany_GivesTheSamplesTheBarcodesName_AndLeavesOutUnknownEmptyAndRepeatedOnes()
    {
        ShippedDrive(3);

        var found = _fx.Registry.Store.Samples.FindMany(["T-2", "T-0", "NOPE", "", "T-0", "t-1"]);

        found.Keys.Should().BeEquivalentTo(["T-0", "T-2"], "barcodes match exactly, case included");
        found["T-2"].Value.Should().BeEquivalentTo(Samples.Get("T-2"));
        _fx.Registry.Store.Samples.FindMany([]).Should().BeEmpty();
    }

    private static (Type? Type, string? Message) Outcome(Action check)
    {
        try
        {
            check();
            return (null, null);
        }
        catch (Exception e)
        {
            return (e.GetType(), e.Message);
        }
    }
}
