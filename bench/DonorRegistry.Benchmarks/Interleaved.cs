using System.Diagnostics;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// Sides of a ratio measured interleaved in one run, so that a noisy, shared machine slows them alike: a warm-up of
/// each, then rounds of all sides in rotating order (used by the spine's and PostgreSQL's ratios).
/// </summary>
internal static class Interleaved
{
    /// <summary>Runs a warm-up of each side, then <paramref name="rounds"/> rounds of all sides in rotating order; returns each side's times.</summary>
    public static List<double>[] Run(int rounds, Func<double>[] sides)
    {
        foreach (var side in sides)
        {
            side();
        }

        var times = sides.Select(_ => new List<double>()).ToArray();
        for (var r = 0; r < rounds; r++)
        {
            for (var k = 0; k < sides.Length; k++)
            {
                var s = (r + k) % sides.Length;
                times[s].Add(sides[s]());
            }
        }

        return times;
    }

    /// <summary>Seconds taken by <paramref name="times"/> runs of <paramref name="work"/>.</summary>
    public static double Time(Action work, int times)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < times; i++)
        {
            work();
        }

        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>The median.</summary>
    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
