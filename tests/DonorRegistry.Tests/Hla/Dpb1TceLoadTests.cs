using DonorRegistry.Hla;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Hla;

/// <summary>A release folder with a <c>dpb_tce.csv</c> loads it; a malformed line gets a typed error naming the file, the line and the layout.</summary>
public sealed class Dpb1TceLoadTests
{
    /// <summary>A test fixture in the 3.58.0 layout of dpb_tce.csv (written for DonorRegistry, not IMGT data).</summary>
    private const string Header = "# file: tce/dpb_tce.csv (test fixture)\n# version: fixture 1\nAllele,Protein,V1_Assignment,V2_Assignment,Comments\n";

    private string _folder = null!;

    [SetUp]
    public void CopyTheFixture()
    {
        _folder = Path.Combine(Path.GetTempPath(), "hla-tce-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        foreach (var file in Directory.GetFiles(Path.Combine(TestContext.CurrentContext.TestDirectory, "Hla", "Fixtures"), "*.txt"))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        }
    }

    [TearDown]
    public void Remove() => Directory.Delete(_folder, recursive: true);

    private void Write(string rows) => File.WriteAllText(Path.Combine(_folder, "dpb_tce.csv"), Header + rows);

    [Test]
    public void Load_WellFormedFile_ReadsTheVersionTwoGroupsWithSuffixesAndNulls()
    {
        Write("DPB1*01:01:01:01,DPB1*01:01,3,3,\nDPB1*06:01:01:01,DPB1*06:01,3,2a,Assignment changed\nDPB1*09:01:01:01,DPB1*09:01,1,1$,\nDPB1*61:01N,NA,0,0,\n");

        var reference = HlaReference.Load(_folder);

        reference.HasDpb1Tce.Should().BeTrue();
        reference.Dpb1TceGroup(AlleleName.Parse("DPB1*01:01:01:01")).Should().Be(3);
        reference.Dpb1TceGroup(AlleleName.Parse("DPB1*06:01")).Should().Be(2);
        reference.Dpb1TceGroup(AlleleName.Parse("DPB1*09:01:01:01")).Should().Be(1);
        reference.Dpb1TceGroup(AlleleName.Parse("DPB1*61:01N")).Should().Be(0);
        reference.Dpb1TceGroup(AlleleName.Parse("DPB1*99:01")).Should().BeNull();
    }

    [Test]
    public void Load_FolderWithoutTheFile_LoadsWithoutTceGroups()
    {
        HlaReference.Load(_folder).HasDpb1Tce.Should().BeFalse();
    }

    [TestCase("DPB1*01:01:01:01,DPB1*01:01,3,4,", "V2 assignment '4'")]
    [TestCase("DPB1*01:01:01:01,DPB1*01:01,3,3", "has 4 column(s) where the header has 5")]
    [TestCase("DPB1*01:01:01:01,DPB1*01:01,3,2/3,", "V2 assignment '2/3'")]
    [TestCase("A*01:01:01:01,A*01:01,3,3,", "allele 'A*01:01:01:01'")]
    [TestCase("DPB1*1:01,DPB1*01:01,3,3,", "'DPB1*1:01' is not a WHO DPB1 allele name")]
    public void Load_MalformedLine_NamesTheFileTheLineAndTheLayout(string row, string detail)
    {
        Write("DPB1*02:01:02:01,DPB1*02:01,3,3,\n" + row + "\n");

        var act = () => HlaReference.Load(_folder);

        act.Should().Throw<HlaReferenceException>()
            .WithMessage($"IMGT/HLA file dpb_tce.csv, line 5 '{row}': expected the header row Allele,...,V2_Assignment,...*")
            .Where(e => e.Message.Contains(detail, StringComparison.Ordinal) && e.Line == 5 && e.File == "dpb_tce.csv");
    }

    [Test]
    public void Load_HeaderWithoutTheVersionTwoColumn_IsRefused()
    {
        File.WriteAllText(Path.Combine(_folder, "dpb_tce.csv"), "# version: fixture 1\nAllele,Protein,V1_Assignment,Comments\n");

        var act = () => HlaReference.Load(_folder);

        act.Should().Throw<HlaReferenceException>().WithMessage("IMGT/HLA file dpb_tce.csv, line 2 'Allele,Protein,V1_Assignment,Comments': expected the header row*");
    }

    [Test]
    public void Load_TceFileOfAnotherRelease_IsRefused()
    {
        File.WriteAllText(Path.Combine(_folder, "dpb_tce.csv"), "# version: fixture 2\nAllele,Protein,V1_Assignment,V2_Assignment,Comments\n");

        var act = () => HlaReference.Load(_folder);

        act.Should().Throw<HlaReferenceException>().WithMessage("*dpb_tce.csv, line 1*is of fixture 2 while the files read before it are of fixture 1*");
    }
}
