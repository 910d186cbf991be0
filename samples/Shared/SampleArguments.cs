using System.Globalization;

namespace DonorRegistry.FakeData;

/// <summary>
/// The command line of a sample program: its options with their defaults, <c>--help</c> (or <c>-h</c>), and the
/// refusal of anything else. <see cref="Parse"/> returns null when the program should run, 0 after printing the
/// usage, and 2 after refusing an unknown option or a bad value (with the message and the usage on standard error),
/// as command-line programs do. Shared by the samples (linked, not copied) and unit-tested in the tests.
/// </summary>
/// <example>
/// <code>
/// var cli = new SampleArguments("RegistryTour", "Walks volunteers through the donor lifecycle.")
///     .Text("--out", "DIR", "the folder the registry file is written to", Path.Combine("out", "registry-tour"))
///     .Integer("--seed", "the random seed", 2026);
/// if (cli.Parse(args) is { } exit)
/// {
///     return exit;
/// }
/// </code>
/// </example>
internal sealed class SampleArguments(string program, string summary)
{
    /// <summary>The exit code after <c>--help</c>.</summary>
    public const int HelpShown = 0;

    /// <summary>The exit code after a refused command line (the usual one for bad usage).</summary>
    public const int UsageError = 2;

    private readonly List<Option> _options = [];
    private readonly Dictionary<string, string> _given = new(StringComparer.Ordinal);

    /// <summary>The program's name, as <c>dotnet run --project samples/NAME</c> runs it.</summary>
    public string Program { get; } = program;

    /// <summary>What the program does, printed first by <c>--help</c>.</summary>
    public string Summary { get; } = summary;

    /// <summary>The usage text that <c>--help</c> prints: what the program does, then <see cref="Synopsis"/>.</summary>
    public string Usage => Summary.ReplaceLineEndings() + Environment.NewLine + Environment.NewLine + Synopsis;

    /// <summary>How to run the program and every option with its default; a refusal prints it after the problem.</summary>
    public string Synopsis
    {
        get
        {
            var lines = new List<string> { $"Usage: dotnet run --project samples/{Program}{(_options.Count == 0 ? string.Empty : " -- [options]")}", string.Empty, "Options:" };
            var rows = _options.Select(o => (Name: $"{o.Name} {o.ValueName}", Help: $"{o.Help} (default: {o.Default})"))
                .Append((Name: "-h, --help", Help: "print this help and exit"))
                .ToList();
            var width = rows.Max(r => r.Name.Length) + 2;
            lines.AddRange(rows.Select(r => "  " + r.Name.PadRight(width) + r.Help));
            return string.Join(Environment.NewLine, lines) + Environment.NewLine;
        }
    }

    /// <summary>Adds an option that takes any non-blank text, such as a folder.</summary>
    /// <param name="name">The option, with its dashes (<c>--out</c>).</param>
    /// <param name="valueName">What the value is, for the usage (<c>DIR</c>).</param>
    /// <param name="help">What the option does.</param>
    /// <param name="defaultValue">The value when the option is not given.</param>
    /// <returns>This, to chain.</returns>
    public SampleArguments Text(string name, string valueName, string help, string defaultValue) =>
        Add(new Option(name, valueName, help, defaultValue, value => string.IsNullOrWhiteSpace(value) ? "is blank; give a value" : null));

    /// <summary>Adds an option that takes a whole number, at least <paramref name="minimum"/>.</summary>
    /// <param name="name">The option, with its dashes (<c>--seed</c>).</param>
    /// <param name="help">What the option does.</param>
    /// <param name="defaultValue">The value when the option is not given.</param>
    /// <param name="minimum">The smallest value the program accepts.</param>
    /// <returns>This, to chain.</returns>
    public SampleArguments Integer(string name, string help, int defaultValue, int minimum = int.MinValue) =>
        Add(new Option(name, "N", help, defaultValue.ToString(CultureInfo.InvariantCulture), value =>
            !TryInteger(value, out var number) ? "is not a whole number"
            : number < minimum ? $"is too small; give {minimum.ToString(CultureInfo.InvariantCulture)} or more"
            : null));

    /// <summary>Adds <c>--out DIR</c>, the folder a sample writes to: <c>out/</c><paramref name="subfolder"/> (git ignores out/) unless given.</summary>
    /// <param name="subfolder">The folder under <c>out/</c>, such as <c>registry-tour</c>.</param>
    /// <param name="what">What the sample writes there, for the usage.</param>
    /// <returns>This, to chain.</returns>
    public SampleArguments OutFolder(string subfolder, string what) =>
        Text("--out", "DIR", $"the folder for {what}; emptied first", Path.Combine("out", subfolder));

    /// <summary>Adds <c>--seed N</c>, the seed of the sample's fake data, 2026 unless given.</summary>
    /// <param name="story">What the same seed gives again, for the usage (<c>year</c>, <c>drive</c>).</param>
    /// <returns>This, to chain.</returns>
    public SampleArguments Seed(string story) => Integer("--seed", $"the random seed: the same seed gives the same {story}", 2026);

    /// <summary>
    /// Reads the command line: <c>--name value</c> or <c>--name=value</c> for each option, at most once each, or
    /// <c>--help</c> / <c>-h</c> alone.
    /// </summary>
    /// <param name="args">The program's arguments.</param>
    /// <param name="output">Where the usage goes after <c>--help</c>; default standard output.</param>
    /// <param name="error">Where a refusal goes; default standard error.</param>
    /// <returns>Null to run the program; else the exit code: <see cref="HelpShown"/> or <see cref="UsageError"/>.</returns>
    public int? Parse(IReadOnlyList<string> args, TextWriter? output = null, TextWriter? error = null)
    {
        _given.Clear();
        if (args.Any(a => a is "--help" or "-h"))
        {
            (output ?? Console.Out).Write(Usage);
            return HelpShown;
        }

        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = args[i].IndexOf('=', StringComparison.Ordinal) is var eq and > 0 && args[i].StartsWith("--", StringComparison.Ordinal)
                ? (args[i][..eq], args[i][(eq + 1)..])
                : (args[i], null);
            var option = _options.Find(o => o.Name == name);
            var problem = option is null ? (name.StartsWith('-') ? $"unknown option '{name}'" : $"unexpected argument '{name}'")
                : _given.ContainsKey(name) ? $"{name} is given twice"
                : inline is null && i + 1 >= args.Count ? $"{name} needs a value ({option.ValueName})"
                : null;
            if (problem is null)
            {
                var value = inline ?? args[++i];
                problem = option!.Check(value) is { } wrong ? $"{name} '{value}' {wrong}" : null;
                _given[name] = value;
            }

            if (problem is not null)
            {
                (error ?? Console.Error).Write($"{Program}: {problem}.{Environment.NewLine}{Environment.NewLine}{Synopsis}");
                _given.Clear();
                return UsageError;
            }
        }

        return null;
    }

    /// <summary>The value of a text option: as given, else its default.</summary>
    /// <param name="name">The option (<c>--out</c>).</param>
    /// <returns>The value.</returns>
    public string Text(string name) => _given.TryGetValue(name, out var value) ? value : Find(name).Default;

    /// <summary>The value of a whole-number option: as given, else its default.</summary>
    /// <param name="name">The option (<c>--seed</c>).</param>
    /// <returns>The value.</returns>
    public int Integer(string name) => TryInteger(Text(name), out var number) ? number : throw new InvalidOperationException($"{name} is not a whole-number option.");

    private static bool TryInteger(string value, out int number) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);

    private SampleArguments Add(Option option)
    {
        if (!option.Name.StartsWith("--", StringComparison.Ordinal) || option.Name is "--help" || _options.Exists(o => o.Name == option.Name))
        {
            throw new ArgumentException($"'{option.Name}' cannot be an option of {Program}: options start with -- and are defined once (--help is built in).", nameof(option));
        }

        _options.Add(option);
        return this;
    }

    private Option Find(string name) =>
        _options.Find(o => o.Name == name) ?? throw new ArgumentException($"{Program} has no option '{name}'.", nameof(name));

    private sealed record Option(string Name, string ValueName, string Help, string Default, Func<string, string?> Check);
}
