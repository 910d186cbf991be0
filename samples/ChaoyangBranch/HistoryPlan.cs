using DonorRegistry.Drives;

/// <summary>
/// The shape of the Chaoyang branch's history: its places, its years and how the published totals (202 lectures,
/// 1,036 samples entered, 60 donations by 2022) are spread over them. The spread is random (from the seed) but
/// every total is exact. The script only plans; the figures it prints are read back from the registry's reports.
/// </summary>
internal static class HistoryPlan
{
    public const int Lectures = 202;
    public const int SamplesEntered = 1_036;
    public const int Donations = 60;
    public const int Stories = 10;

    /// <summary>The last year replayed: the year of the branch's published summary.</summary>
    public const int LastYear = 2022;

    /// <summary>The first year replayed by default. An assumption: the branch's summary gives no start year.</summary>
    public const int FirstYear = 2013;

    /// <summary>Cases that stop before a donation, per donation (declines, cancellations).</summary>
    public const double StoppedPerDonation = 0.4;

    /// <summary>The three universities, with a drive every year at each.</summary>
    public static IReadOnlyList<Place> Universities { get; } =
    [
        new("BISU", "北京第二外国语学院", DriveKind.Campus, "北二外报告厅"),
        new("CUC", "中国传媒大学", DriveKind.Campus, "中传国际传播中心"),
        new("UIBE", "对外经济贸易大学", DriveKind.Campus, "贸大诚信楼报告厅"),
    ];

    /// <summary>Chaoyang streets and CBD office buildings: two of them hold a drive each year, in turn; all hold lectures.</summary>
    public static IReadOnlyList<Place> Communities { get; } =
    [
        new("JS", "劲松街道", DriveKind.Community, "劲松街道市民活动中心"),
        new("BLZ", "八里庄街道", DriveKind.Community, "八里庄街道市民活动中心"),
        new("XHY", "香河园街道", DriveKind.Community, "香河园街道党群服务中心"),
        new("TJH", "团结湖街道", DriveKind.Community, "团结湖街道社区服务中心"),
        new("AZ", "安贞街道", DriveKind.Community, "安贞街道文体中心"),
        new("CWM", "国贸写字楼 (CBD)", DriveKind.Community, "国贸写字楼三层会议室"),
        new("YTC", "银泰中心写字楼 (CBD)", DriveKind.Community, "银泰中心写字楼会议中心"),
    ];

    public static IReadOnlyList<Place> Places { get; } = [.. Universities, .. Communities];

    /// <summary>How busy each year was, relative to the others (the program grew; 2020 was the pandemic's first year).</summary>
    public static double Weight(int year) => year switch
    {
        2020 => 0.55,
        2021 => 0.9,
        _ => 0.6 + (0.06 * (year - FirstYear)),
    };

    /// <summary>A total scaled to a percentage of the history, at least <paramref name="minimum"/>.</summary>
    public static int Scaled(int total, int percent, int minimum = 1) => Math.Max(minimum, (int)Math.Round(total * percent / 100.0, MidpointRounding.AwayFromZero));

    /// <summary>Splits a total into parts proportional to random weights, summing exactly to the total.</summary>
    public static int[] Split(int total, int parts, Random random, double minWeight = 0.5) =>
        Split(total, Enumerable.Range(0, parts).Select(_ => minWeight + random.NextDouble()).ToArray());

    /// <summary>Splits a total into parts proportional to the weights (largest remainders), summing exactly to the total.</summary>
    public static int[] Split(int total, IReadOnlyList<double> weights)
    {
        var sum = weights.Sum();
        var shares = weights.Select(w => total * w / sum).ToArray();
        var result = shares.Select(s => (int)Math.Floor(s)).ToArray();
        foreach (var i in Enumerable.Range(0, weights.Count).OrderByDescending(i => shares[i] - result[i]).ThenBy(i => i).Take(total - result.Sum()))
        {
            result[i]++;
        }

        return result;
    }

    /// <summary>Like <see cref="Split(int, int, Random, double)"/>, but every part gets at least one (the total must cover the parts).</summary>
    public static int[] SplitAtLeastOne(int total, int parts, Random random)
    {
        if (total < parts)
        {
            throw new ArgumentOutOfRangeException(nameof(total), total, $"cannot give each of {parts} parts at least one");
        }

        return Split(total - parts, parts, random).Select(n => n + 1).ToArray();
    }
}

/// <summary>A place the branch works at: a university, a street or an office building.</summary>
internal sealed record Place(string Code, string Name, DriveKind Kind, string Venue);
