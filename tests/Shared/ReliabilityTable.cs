using System.Globalization;

namespace DonorRegistry.Testing;

/// <summary>
/// Where a reliability harness reports its figures for docs/reliability.md's summary table. When the environment
/// variable <c>DONORREGISTRY_RELIABILITY_TABLE</c> names a file, each harness appends one Markdown row to it with what
/// it tried and what came of it; bench/reliability.sh runs the harnesses and prints the table from those rows. Without
/// the variable nothing is written.
/// </summary>
internal static class ReliabilityTable
{
    private static readonly Lock Gate = new();

    /// <summary>Appends a row: the harness, what it tried, what it checked or reported, what was lost or silently wrong, and the untyped exceptions.</summary>
    public static void Add(string harness, string tried, string outcome, string lost, string untyped)
    {
        if (Environment.GetEnvironmentVariable("DONORREGISTRY_RELIABILITY_TABLE") is not { Length: > 0 } path)
        {
            return;
        }

        var row = string.Create(CultureInfo.InvariantCulture, $"| {harness} | {tried} | {outcome} | {lost} | {untyped} |{Environment.NewLine}");
        lock (Gate)
        {
            // The two test projects may run at once: retry while the other holds the file.
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    File.AppendAllText(path, row);
                    return;
                }
                catch (IOException) when (attempt < 50)
                {
                    Thread.Sleep(20);
                }
            }
        }
    }

    /// <summary>A count with thousands separators, as the docs write them.</summary>
    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
