using System.Globalization;

namespace DonorRegistry.MultiInstance.Tests.Support;

/// <summary>One run of one workflow step in one process, as the worker's step recorder wrote it (Stopwatch timestamps).</summary>
/// <param name="Process">The worker's process id.</param>
/// <param name="Workflow">The workflow instance.</param>
/// <param name="Step">The step's id in the workflow's definition.</param>
/// <param name="Name">The step's name.</param>
/// <param name="Start">When the run began.</param>
/// <param name="End">When it ended, or when its process was killed (<see cref="Cut"/>).</param>
/// <param name="Cut">The run had not ended when its process was killed.</param>
internal sealed record StepRunRecord(int Process, string Workflow, int Step, string Name, long Start, long End, bool Cut)
{
    public override string ToString() =>
        FormattableString.Invariant($"{Name} (step {Step}) of {Workflow} in process {Process} from {Start} to {End}{(Cut ? " (cut by the kill)" : string.Empty)}");
}

/// <summary>Reads the step recorder's files and finds runs that overlap.</summary>
internal static class StepRuns
{
    /// <summary>
    /// Every run written to the <c>steps-*.log</c> files of <paramref name="folder"/>. A run without its end is allowed only
    /// in <paramref name="killed"/>'s file, where it ends at <paramref name="killedAt"/>; anywhere else it is an error.
    /// </summary>
    public static List<StepRunRecord> Read(string folder, int killed, long killedAt)
    {
        var runs = new List<StepRunRecord>();
        foreach (var file in Directory.GetFiles(folder, "steps-*.log"))
        {
            var starts = new Dictionary<(int, int), string[]>();
            foreach (var line in File.ReadLines(file))
            {
                var w = line.Split(' ');
                var key = (Int(w[1]), Int(w[2]));
                if (w[0] == "start")
                {
                    starts.Add(key, w);
                }
                else
                {
                    var s = starts[key];
                    starts.Remove(key);
                    runs.Add(new StepRunRecord(key.Item1, s[3], Int(s[4]), s[6], Long(s[5]), Long(w[3]), Cut: false));
                }
            }

            foreach (var (key, s) in starts)
            {
                if (key.Item1 != killed)
                {
                    throw new InvalidOperationException($"process {key.Item1} was not killed, but its run {key.Item2} ({s[6]} of {s[3]}) has no end in {file}");
                }

                runs.Add(new StepRunRecord(key.Item1, s[3], Int(s[4]), s[6], Long(s[5]), killedAt, Cut: true));
            }
        }

        return runs;
    }

    /// <summary>
    /// The pairs of runs that share a key (such as the same step of the same workflow) and overlap in time: the later
    /// one began before the earlier one ended. Runs that only touch (one ends at the instant the other begins) do not.
    /// </summary>
    public static List<(StepRunRecord First, StepRunRecord Second)> Overlapping<TKey>(IEnumerable<StepRunRecord> runs, Func<StepRunRecord, TKey> key)
        where TKey : notnull
    {
        var overlaps = new List<(StepRunRecord, StepRunRecord)>();
        foreach (var group in runs.GroupBy(key))
        {
            var ordered = group.OrderBy(r => r.Start).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                for (var j = i + 1; j < ordered.Count && ordered[j].Start < ordered[i].End; j++)
                {
                    overlaps.Add((ordered[i], ordered[j]));
                }
            }
        }

        return overlaps;
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static long Long(string text) => long.Parse(text, CultureInfo.InvariantCulture);
}
