/// <summary>
/// How the year's totals are split: lectures over drives and stand-alone talks, samples entered over drives.
/// The split is random (from the seed) but the totals are exact.
/// </summary>
internal static class YearPlan
{
    public const int Lectures = 202;
    public const int SamplesEntered = 1_036;
    public const int Donations = 60;
    public const int Drives = 24;

    /// <summary>Splits a total into parts proportional to random weights, summing exactly to the total.</summary>
    public static int[] Split(int total, int parts, Random random, double minWeight = 0.5)
    {
        var weights = Enumerable.Range(0, parts).Select(_ => minWeight + random.NextDouble()).ToArray();
        var sum = weights.Sum();
        var shares = weights.Select(w => total * w / sum).ToArray();
        var result = shares.Select(s => (int)Math.Floor(s)).ToArray();
        foreach (var i in Enumerable.Range(0, parts).OrderByDescending(i => shares[i] - result[i]).Take(total - result.Sum()))
        {
            result[i]++;
        }

        return result;
    }
}
