using DonorRegistry.FakeData;

/// <summary>
/// QuickStart's command line. Program.cs is shown in the README word for word, so the arguments are read here, in the
/// type initializer of the program's class, which runs before its top-level code: <c>--help</c> prints the usage and
/// exits 0, anything else is refused with exit code 2, and no arguments run the quick start.
/// </summary>
internal partial class Program
{
    static Program()
    {
        var cli = new SampleArguments("QuickStart", "The README's code: creates a registry in out/quickstart (replacing the last run's), enrols one volunteer, collects, ships,\nreceives and types her sample, lists her, prints her audit trail, finds her by a search, then opens an empty registry\nthrough dependency injection and starts a drive as a workflow. It takes no options.");
        if (cli.Parse(Environment.GetCommandLineArgs()[1..]) is { } exit)
        {
            Environment.Exit(exit);
        }
    }
}
