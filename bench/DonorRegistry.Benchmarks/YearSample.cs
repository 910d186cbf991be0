using System.Diagnostics;
using System.Globalization;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// The Chaoyang branch replay (ChaoyangBranch, 2013-2022) end to end, as a user runs it: the compiled <c>ChaoyangBranch</c> in a process of its own, a few
/// times, with its wall time and the peak resident memory the kernel reports for it (VmHWM, read just before it
/// exits is not possible from outside, so the sample prints its own peak working set). Build it first:
/// <c>dotnet build -c Release samples/ChaoyangBranch</c>.
/// </summary>
internal static class YearSample
{
    public static int Run(int runs)
    {
        var root = Directory.GetCurrentDirectory();
        var dll = Path.Combine(root, "samples", "ChaoyangBranch", "bin", "Release", "net10.0", "ChaoyangBranch.dll");
        if (!File.Exists(dll))
        {
            Console.Error.WriteLine($"{dll} is missing; run `dotnet build -c Release samples/ChaoyangBranch` from the repository root first.");
            return 2;
        }

        var seconds = new List<double>();
        var peaks = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var output = Path.Combine(Path.GetTempPath(), $"chaoyang-sample-bench-{run}");
            var start = new ProcessStartInfo("dotnet", [dll, "--out", output]) { RedirectStandardOutput = true, UseShellExecute = false };
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var lines = process.StandardOutput.ReadToEnd().Split('\n');
            process.WaitForExit();
            watch.Stop();
            if (process.ExitCode != 0)
            {
                Console.Error.WriteLine($"run {run}: the sample exited with {process.ExitCode}");
                return 1;
            }

            var peakLine = lines.Last(l => l.Contains("peak working set", StringComparison.Ordinal));
            var peak = double.Parse(peakLine.Split("peak working set ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
            seconds.Add(watch.Elapsed.TotalSeconds);
            peaks.Add(peak);
            Console.WriteLine($"run {run}: {watch.Elapsed.TotalSeconds:F1} s wall (process start to exit), peak working set {peak:F0} MiB");
            Directory.Delete(output, recursive: true);
        }

        Console.WriteLine($"Chaoyang replay over {runs} runs: wall {seconds.Min():F1}-{seconds.Max():F1} s (mean {seconds.Average():F1} s), peak working set {peaks.Min():F0}-{peaks.Max():F0} MiB");
        return 0;
    }
}
