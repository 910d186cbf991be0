using System.Diagnostics;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.SamplePrograms;

/// <summary>
/// Each sample, built beside the tests, run as a real process (<c>dotnet samples/NAME/bin/.../NAME.dll</c>) in an
/// empty folder: <c>--help</c> prints the usage and exits 0, a bad command line is refused with exit code 2, and
/// neither writes a file.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class SampleProgramsTests
{
    private static readonly object[] Samples =
    [
        new object[] { "ChaoyangBranch", new[] { "--out", "--seed", "--from", "--scale", "--culture", "--font" } },
        new object[] { "RegistryTour", new[] { "--out", "--count", "--seed" } },
        new object[] { "CampusDrive", new[] { "--out", "--volunteers", "--seed" } },
        new object[] { "QuickStart", Array.Empty<string>() },
    ];

    [TestCaseSource(nameof(Samples))]
    public void Help_PrintsTheUsageWithEveryOption_ExitsZero_AndWritesNothing(string sample, string[] options)
    {
        var run = Run(sample, "--help");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Error.Should().BeEmpty();
        run.Output.Should().Contain($"Usage: dotnet run --project samples/{sample}").And.Contain("-h, --help");
        foreach (var option in options)
        {
            run.Output.Should().MatchRegex($@"(?m)^  {option} (DIR|N|NAME|PATH) .*\(default: [^)]+\)\r?$", $"--help lists {option} with its default");
        }

        run.Written.Should().BeEmpty();
    }

    [TestCase("ChaoyangBranch")]
    [TestCase("QuickStart")]
    public void TheShortHelp_PrintsTheSameUsage(string sample)
    {
        var run = Run(sample, "-h");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Be(Run(sample, "--help").Output);
    }

    [TestCaseSource(nameof(Samples))]
    public void AnUnknownOption_IsRefusedWithTheListOfOptions_ExitCode2_AndWritesNothing(string sample, string[] options)
    {
        var run = Run(sample, "--no-such-option");

        run.ExitCode.Should().Be(2, run.ToString());
        run.Output.Should().BeEmpty("the sample must not start its work");
        run.Error.Should().StartWith($"{sample}: unknown option '--no-such-option'.").And.Contain("-h, --help");
        foreach (var option in options)
        {
            run.Error.Should().Contain($"  {option} ");
        }

        run.Written.Should().BeEmpty();
    }

    [TestCase("ChaoyangBranch")]
    [TestCase("RegistryTour")]
    [TestCase("CampusDrive")]
    public void ABadValue_IsRefusedWithExitCode2_AndWritesNothing(string sample)
    {
        var run = Run(sample, "--seed", "x");

        run.ExitCode.Should().Be(2, run.ToString());
        run.Output.Should().BeEmpty();
        run.Error.Should().StartWith($"{sample}: --seed 'x' is not a whole number.");
        run.Written.Should().BeEmpty();
    }

    [Test]
    public void QuickStart_TheReadmesCode_RunsAndItsSearchFindsItsOwnDonor_WritingOnlyUnderOut()
    {
        var run = Run("QuickStart");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("DR-00000001 is Available (AV)")
            .And.Contain("Donor DR-00000001 v4 List: Typed -> Available by coordinator.li")
            .And.Contain("The search found 1 donor(s); first: DR-00000001, 6/6.")
            .And.Contain("An empty registry holds 0 donors.")
            .And.Contain("is EnrolmentOpen; next it expects");
        run.Written.Should().NotBeEmpty().And.OnlyContain(p => p == "out" || p.StartsWith("out" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    [Test]
    public void ChaoyangBranch_TheSameSeedTwice_WritesByteIdenticalCsvFilesAndChartsAndPrintsTheSameReport()
    {
        string[] args = ["--out", "out", "--from", "2021", "--scale", "10", "--seed", "7"];
        var first = Run("ChaoyangBranch", args);
        var second = Run("ChaoyangBranch", args);

        first.ExitCode.Should().Be(0, first.ToString());
        second.ExitCode.Should().Be(0, second.ToString());
        first.Output.Should().Contain("与公布数字一致（按 10%）：20 / 104 / 6 / 1。").And.Contain("血样入库");
        var files = first.Files.Keys.Where(f => f.EndsWith(".csv", StringComparison.Ordinal) || f.EndsWith(".png", StringComparison.Ordinal) || f.EndsWith(".xlsx", StringComparison.Ordinal)).ToList();
        files.Should().Contain(Path.Combine("out", "report-2021.csv")).And.Contain(Path.Combine("out", "report-2022.csv"))
            .And.Contain(Path.Combine("out", "recognitions-2021-2022.csv")).And.Contain(Path.Combine("out", "drives-2021-2022.csv"))
            .And.Contain(Path.Combine("out", "volunteers-2021-2022.csv")).And.Contain(Path.Combine("out", "report-2021-2022.xlsx"))
            .And.Contain(Path.Combine("out", "funnel-2021-2022.png")).And.Contain(Path.Combine("out", "universities-by-year-2021-2022.png"));
        first.Files[Path.Combine("out", "report-2021.csv")].Take(3).Should().Equal(new byte[] { 0xEF, 0xBB, 0xBF }, "a Chinese CSV starts with a UTF-8 byte order mark");
        first.Files.Keys.Should().NotContain(f => f.EndsWith(".tmp", StringComparison.Ordinal));
        second.Files.Keys.Where(files.Contains).Should().HaveCount(files.Count, "the second run writes the same files");
        foreach (var file in files)
        {
            second.Files[file].SequenceEqual(first.Files[file]).Should().BeTrue($"{file} is byte-identical between two runs with the same seed");
        }

        // The printed report, less the wall time (printed last, apart) and the temp folder each run had.
        Printed(second).Should().Equal(Printed(first));
        first.Output.TrimEnd().Split('\n')[^1].Should().StartWith("Wall time ");

        static string[] Printed(SampleRun run) => run.Output.Replace(run.Folder, "FOLDER", StringComparison.Ordinal).TrimEnd().Split('\n')[..^1];
    }

    [TestCase("--culture", "fr", "Culture 'fr' is not a culture reports are written in")]
    [TestCase("--font", "no-such-font.ttf", "FontPath 'no-such-font.ttf' does not exist")]
    public void ChaoyangBranch_AnUnknownCultureOrAMissingFont_IsRefusedBeforeAnyWork_ExitCode2_AndWritesNothing(string option, string value, string message)
    {
        var run = Run("ChaoyangBranch", option, value, "--out", "out");

        run.ExitCode.Should().Be(2, run.ToString());
        run.Output.Should().BeEmpty("the sample must not start its work");
        run.Error.Should().StartWith("ChaoyangBranch: " + message);
        run.Written.Should().BeEmpty();
    }

    [Test]
    public void ChaoyangBranch_InChinese_WithoutACjkFont_WarnsAndDrawsTheChartsInEnglish()
    {
        // fontconfig sees only the Latin DejaVu fonts: no font covers Chinese, so a Chinese report's charts fall back to
        // English labels (the same pictures as an English report's), with a warning, and the run still succeeds.
        const string Latin = "/usr/share/fonts/truetype/dejavu";
        if (!Directory.Exists(Latin))
        {
            Assert.Ignore($"{Latin} is not installed (Debian's fonts-dejavu-core, which fontconfig depends on): no Latin-only font folder to hide the CJK fonts behind");
        }

        var config = Directory.CreateTempSubdirectory("donor-registry-fonts-").FullName;
        try
        {
            var file = Path.Combine(config, "fonts.conf");
            File.WriteAllText(file, $"<?xml version=\"1.0\"?><!DOCTYPE fontconfig SYSTEM \"fonts.dtd\"><fontconfig><dir>{Latin}</dir><cachedir>{Path.Combine(config, "cache")}</cachedir></fontconfig>");
            var environment = new Dictionary<string, string> { ["FONTCONFIG_FILE"] = file };
            string[] args = ["--out", "out", "--from", "2021", "--scale", "10", "--seed", "7"];

            var chinese = Run("ChaoyangBranch", environment, [.. args, "--culture", "zh-CN"]);
            var english = Run("ChaoyangBranch", environment, [.. args, "--culture", "en"]);

            chinese.ExitCode.Should().Be(0, chinese.ToString());
            english.ExitCode.Should().Be(0, english.ToString());
            chinese.Error.Should().Contain("no CJK font is installed");
            english.Error.Should().NotContain("no CJK font is installed", "an English report needs no CJK font");
            var charts = chinese.Files.Keys.Where(f => f.EndsWith(".png", StringComparison.Ordinal)).ToList();
            charts.Should().NotBeEmpty();
            foreach (var chart in charts)
            {
                english.Files.Should().ContainKey(chart);
                chinese.Files[chart].SequenceEqual(english.Files[chart]).Should().BeTrue($"{chart} of the Chinese report falls back to the English labels");
            }
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    /// <summary>Runs the built sample in a new empty folder and returns what it printed and wrote there.</summary>
    private static SampleRun Run(string sample, params string[] args) => Run(sample, null, args);

    /// <summary>Runs the built sample with extra environment variables in a new empty folder and returns what it printed and wrote there.</summary>
    private static SampleRun Run(string sample, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        // The tests run from tests/DonorRegistry.Tests/bin/CONFIGURATION/TFM; the samples are built to the same place of their own.
        var testDirectory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        var dll = Path.Combine(Approvals.RepositoryRoot(), "samples", sample, "bin", testDirectory.Parent!.Name, testDirectory.Name, sample + ".dll");
        File.Exists(dll).Should().BeTrue($"the sample is built with the tests (a project reference of DonorRegistry.Tests), so {dll} exists");

        var folder = Directory.CreateTempSubdirectory("donor-registry-sample-").FullName;
        try
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add(dll);
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[name] = value;
            }

            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{sample} {string.Join(' ', args)} did not exit within a minute");
            }

            var written = Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(folder, p)).ToList();
            var files = written.Where(p => File.Exists(Path.Combine(folder, p)) && !p.Contains(".db", StringComparison.Ordinal))
                .ToDictionary(p => p, p => File.ReadAllBytes(Path.Combine(folder, p)), StringComparer.Ordinal);
            return new SampleRun(process.ExitCode, output.Result, error.Result, written, files, folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed record SampleRun(int ExitCode, string Output, string Error, IReadOnlyList<string> Written, IReadOnlyDictionary<string, byte[]> Files, string Folder)
    {
        public override string ToString() => $"exit code {ExitCode}; standard output:\n{Output}\nstandard error:\n{Error}";
    }
}
