using DonorRegistry.Hla;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Hla;

/// <summary>A release folder that cannot be loaded gets a typed error naming the file, the line and what is allowed.</summary>
public sealed class HlaReferenceLoadTests
{
    private string _folder = null!;

    [SetUp]
    public void CopyTheFixture()
    {
        _folder = Path.Combine(Path.GetTempPath(), "hla-fixture-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        foreach (var file in Directory.GetFiles(Path.Combine(TestContext.CurrentContext.TestDirectory, "Hla", "Fixtures"), "*.txt"))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        }
    }

    [TearDown]
    public void Remove() => Directory.Delete(_folder, recursive: true);

    [TestCase("hla_nom.txt")]
    [TestCase("hla_nom_g.txt")]
    [TestCase("hla_nom_p.txt")]
    [TestCase("rel_dna_ser.txt")]
    public void Load_FolderMissingAFile_NamesTheFile(string file)
    {
        File.Delete(Path.Combine(_folder, file));

        var act = () => HlaReference.Load(_folder);

        act.Should().Throw<HlaReferenceException>().WithMessage($"*{file}: is missing; point the library at a folder of IPD-IMGT/HLA WMDA files*")
            .Which.Line.Should().Be(0);
    }

    [Test]
    public void Load_CorruptLine_NamesTheFileTheLineAndTheLayout()
    {
        File.AppendAllText(Path.Combine(_folder, "hla_nom.txt"), "A*;02:01\n");

        var act = () => HlaReference.Load(_folder);

        act.Should().Throw<HlaReferenceException>().WithMessage("IMGT/HLA file hla_nom.txt, line 29 'A*;02:01': expected LOCUS*;name;added;deleted;renamed to;reason*")
            .Which.Line.Should().Be(29);
    }

    [Test]
    public void Load_MalformedAlleleInTheGroupFile_NamesTheAllele()
    {
        File.AppendAllText(Path.Combine(_folder, "hla_nom_g.txt"), "A*;02:1;\n");

        var act = () => HlaReference.Load(_folder);

        act.Should().Throw<HlaReferenceException>().WithMessage("*hla_nom_g.txt, line 14*'02:1' is not a WHO allele name*");
    }

    [Test]
    public void Load_FilesOfTwoReleases_IsRefused()
    {
        var path = Path.Combine(_folder, "hla_nom_p.txt");
        File.WriteAllText(path, File.ReadAllText(path).Replace("# version: fixture 1", "# version: fixture 2", StringComparison.Ordinal));

        var act = () => HlaReference.Load(_folder);

        act.Should().Throw<HlaReferenceException>().WithMessage("*hla_nom_p.txt, line 2*is of fixture 2 while the files read before it are of fixture 1*");
    }

    [Test]
    public void Load_MissingFolder_IsRefused()
    {
        var act = () => HlaReference.Load(Path.Combine(_folder, "nowhere"));

        act.Should().Throw<HlaReferenceException>().WithMessage("*is missing*");
    }
}
