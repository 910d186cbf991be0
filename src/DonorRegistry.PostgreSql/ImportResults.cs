namespace DonorRegistry.PostgreSql;

/// <summary>Where an import from a LiteDB registry is (ADR 22): the step, the records it has copied, how many the branch holds (null when not counted first) and the time since this run began.</summary>
/// <param name="Step">The step: "drives", "donors", "audit Donor", …</param>
/// <param name="Copied">Records of the step copied so far, this run and earlier runs together.</param>
/// <param name="Total">Records of the step the branch holds, when known.</param>
/// <param name="Elapsed">Time since this run began.</param>
public sealed record ImportProgress(string Step, long Copied, long? Total, TimeSpan Elapsed)
{
    /// <summary>One line a person can read.</summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        $"{Step}: {Copied:N0}{(Total is { } t ? $" of {t:N0}" : "")} ({Elapsed.TotalSeconds:F1} s)";
}

/// <summary>What an import copied, by step (records of each kind, audit records of each kind), whether it went on from an earlier run, and how long this run took.</summary>
/// <param name="Copied">Records copied by step (earlier runs included).</param>
/// <param name="Resumed">True when an earlier run had left checkpoints.</param>
/// <param name="Elapsed">This run's time.</param>
public sealed record ImportResult(IReadOnlyDictionary<string, long> Copied, bool Resumed, TimeSpan Elapsed);

/// <summary>One comparison of a branch and its copy: a kind's count, or a kind's audit trails (count of trails and a digest of their checksums).</summary>
/// <param name="What">What is compared.</param>
/// <param name="Expected">The branch's count.</param>
/// <param name="Actual">The copy's count.</param>
/// <param name="Problem">Null when they agree; else what differs.</param>
/// <param name="ExpectedDigest">For audit trails: a digest of the branch's per-trail checksums.</param>
/// <param name="ActualDigest">For audit trails: the same over the copy.</param>
public sealed record ImportCheck(string What, long Expected, long Actual, string? Problem, string? ExpectedDigest = null, string? ActualDigest = null)
{
    /// <summary>One line a person can read.</summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        $"{What}: {Expected:N0} → {Actual:N0}{(ExpectedDigest is null ? "" : $", checksums {ExpectedDigest} → {ActualDigest}")}{(Problem is null ? " ok" : $" — {Problem}")}";
}

/// <summary>The comparisons of a branch and its copy in PostgreSQL after an import (ADR 22).</summary>
/// <param name="Checks">Every comparison.</param>
public sealed record ImportVerification(IReadOnlyList<ImportCheck> Checks)
{
    /// <summary>True when every count and every audit trail agrees, and every copied trail holds under the target key.</summary>
    public bool IsClean => Checks.All(c => c.Problem is null);
}
