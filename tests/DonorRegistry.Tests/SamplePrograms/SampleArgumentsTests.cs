using DonorRegistry.FakeData;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.SamplePrograms;

/// <summary>The samples' shared command line (samples/Shared/SampleArguments.cs), read without starting a process.</summary>
public sealed class SampleArgumentsTests
{
    private StringWriter _out = null!;
    private StringWriter _error = null!;

    private static SampleArguments Tour() => new SampleArguments("RegistryTour", "Walks volunteers through the lifecycle.")
        .Text("--out", "DIR", "the output folder", Path.Combine("out", "registry-tour"))
        .Integer("--count", "how many volunteers enrol", 40, minimum: 10)
        .Integer("--seed", "the random seed", 2026);

    [SetUp]
    public void SetUp()
    {
        _out = new StringWriter();
        _error = new StringWriter();
    }

    [TearDown]
    public void TearDown()
    {
        _out.Dispose();
        _error.Dispose();
    }

    [Test]
    public void NoArguments_RunWithEveryDefault()
    {
        var cli = Tour();

        cli.Parse([], _out, _error).Should().BeNull();

        cli.Text("--out").Should().Be(Path.Combine("out", "registry-tour"));
        cli.Integer("--count").Should().Be(40);
        cli.Integer("--seed").Should().Be(2026);
        (_out.ToString() + _error.ToString()).Should().BeEmpty();
    }

    [Test]
    public void GivenValues_ReplaceTheDefaults_InEitherSpelling()
    {
        var cli = Tour();

        cli.Parse(["--seed", "7", "--out=/tmp/tour", "--count", "12"], _out, _error).Should().BeNull();

        cli.Integer("--seed").Should().Be(7);
        cli.Text("--out").Should().Be("/tmp/tour");
        cli.Integer("--count").Should().Be(12);
    }

    [TestCase("--help")]
    [TestCase("-h")]
    public void Help_PrintsWhatTheProgramDoesAndEveryOptionWithItsDefault_AndExitsZero(string help)
    {
        Tour().Parse(["--seed", "7", help], _out, _error).Should().Be(SampleArguments.HelpShown);

        var usage = _out.ToString();
        usage.Should().StartWith("Walks volunteers through the lifecycle.")
            .And.Contain("Usage: dotnet run --project samples/RegistryTour -- [options]")
            .And.MatchRegex(@"--out DIR +the output folder \(default: out.registry-tour\)")
            .And.MatchRegex(@"--count N +how many volunteers enrol \(default: 40\)")
            .And.MatchRegex(@"--seed N +the random seed \(default: 2026\)")
            .And.MatchRegex(@"-h, --help +print this help and exit");
        _error.ToString().Should().BeEmpty();
    }

    [TestCase(new[] { "--sed", "7" }, "unknown option '--sed'")]
    [TestCase(new[] { "replay" }, "unexpected argument 'replay'")]
    [TestCase(new[] { "--seed", "x" }, "--seed 'x' is not a whole number")]
    [TestCase(new[] { "--seed=1.5" }, "--seed '1.5' is not a whole number")]
    [TestCase(new[] { "--count", "9" }, "--count '9' is too small; give 10 or more")]
    [TestCase(new[] { "--out", " " }, "--out ' ' is blank; give a value")]
    [TestCase(new[] { "--seed" }, "--seed needs a value (N)")]
    [TestCase(new[] { "--seed", "1", "--seed", "2" }, "--seed is given twice")]
    public void ABadCommandLine_IsRefusedWithTheProblemAndTheOptions_AndExitCode2(string[] args, string problem)
    {
        var cli = Tour();

        cli.Parse(args, _out, _error).Should().Be(SampleArguments.UsageError);

        _error.ToString().Should().StartWith($"RegistryTour: {problem}.")
            .And.Contain("--out DIR").And.Contain("--count N").And.Contain("--seed N").And.Contain("--help");
        _out.ToString().Should().BeEmpty();
        cli.Integer("--seed").Should().Be(2026, "a refused command line leaves no value behind");
    }

    [Test]
    public void AProgramWithoutOptions_RefusesAnyArgument_AndItsUsageSaysSo()
    {
        var cli = new SampleArguments("QuickStart", "The README's code.");

        cli.Parse(["--out", "x"], _out, _error).Should().Be(SampleArguments.UsageError);
        cli.Parse(["--help"], _out, _error).Should().Be(SampleArguments.HelpShown);

        _error.ToString().Should().StartWith("QuickStart: unknown option '--out'.");
        _out.ToString().Should().Contain("Usage: dotnet run --project samples/QuickStart" + Environment.NewLine)
            .And.NotContain("[options]");
    }

    [Test]
    public void TheOutFolderAndSeedOptions_WriteUnderOutAndDefaultTo2026()
    {
        var cli = new SampleArguments("CampusDrive", "A drive.").OutFolder("campus-drive", "the registry file").Seed("drive");

        cli.Parse([], _out, _error).Should().BeNull();
        cli.Text("--out").Should().Be(Path.Combine("out", "campus-drive"));
        cli.Integer("--seed").Should().Be(2026);
        cli.Usage.Should().MatchRegex(@"--out DIR +the folder for the registry file; emptied first \(default: out.campus-drive\)")
            .And.MatchRegex(@"--seed N +the random seed: the same seed gives the same drive \(default: 2026\)");
    }

    [TestCase("out")]
    [TestCase("--help")]
    [TestCase("--seed")]
    public void AnOptionMustStartWithTwoDashes_AndBeDefinedOnce(string name)
    {
        var define = () => new SampleArguments("Tour", "A tour.").Integer("--seed", "the seed", 1).Text(name, "DIR", "a folder", "out");

        define.Should().Throw<ArgumentException>().WithMessage($"'{name}' cannot be an option of Tour*");
    }

    [Test]
    public void AskingForAnUndefinedOption_IsAProgrammingError()
    {
        var read = () => Tour().Text("--volunteers");

        read.Should().Throw<ArgumentException>().WithMessage("RegistryTour has no option '--volunteers'.*");
    }
}
