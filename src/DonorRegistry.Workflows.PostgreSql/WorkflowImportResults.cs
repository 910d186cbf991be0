using System.Globalization;

namespace DonorRegistry.Workflows;

/// <summary>Where a copy of a branch's workflows into PostgreSQL is (ADR 22): the step, what it has gone through, the branch's total and the time since this run began.</summary>
/// <param name="Step">"events" or "workflows".</param>
/// <param name="Done">Events or workflows gone through so far: copied now, or found copied by an earlier run.</param>
/// <param name="Total">The branch's events or workflows.</param>
/// <param name="Elapsed">Time since this run began.</param>
public sealed record WorkflowImportProgress(string Step, long Done, long Total, TimeSpan Elapsed)
{
    /// <summary>One line a person can read.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Step}: {Done:N0} of {Total:N0} ({Elapsed.TotalSeconds:F1} s)");
}

/// <summary>What a copy of a branch's workflows did.</summary>
/// <param name="Copied">Rows copied by this run, by kind: workflows, subscriptions, events, errors, log entries.</param>
/// <param name="AlreadyThere">Workflows and events this run found copied by an earlier run (and left as they were).</param>
/// <param name="Elapsed">This run's time.</param>
public sealed record WorkflowImportResult(IReadOnlyDictionary<string, long> Copied, IReadOnlyDictionary<string, long> AlreadyThere, TimeSpan Elapsed)
{
    /// <summary>True when an earlier run had copied part of the branch (this run went on after it).</summary>
    public bool Resumed => AlreadyThere.Values.Any(n => n > 0);

    /// <summary>One line a person can read: the workflows and the rate of this run.</summary>
    /// <returns>The line.</returns>
    public override string ToString()
    {
        var workflows = Copied.GetValueOrDefault("workflows");
        var rate = Elapsed > TimeSpan.Zero ? workflows / Elapsed.TotalSeconds : 0;
        return string.Create(CultureInfo.InvariantCulture, $"{workflows:N0} workflows, {Copied.GetValueOrDefault("events"):N0} events, {Copied.GetValueOrDefault("log entries"):N0} log entries copied in {Elapsed.TotalSeconds:F1} s ({rate:F0} workflows/s){(Resumed ? $"; {AlreadyThere.GetValueOrDefault("workflows"):N0} workflows and {AlreadyThere.GetValueOrDefault("events"):N0} events were already there" : "")}");
    }
}

/// <summary>One comparison of a branch's workflow store and its copy: a kind's count, and for instances, logs and events a digest of their checksums.</summary>
/// <param name="What">What is compared.</param>
/// <param name="Expected">The branch's count.</param>
/// <param name="Actual">How many of them the copy holds.</param>
/// <param name="Problem">Null when they agree; else what differs, naming the first few ids or references.</param>
/// <param name="ExpectedDigest">A digest of the branch's checksums (null for plain counts).</param>
/// <param name="ActualDigest">The same over the copy.</param>
public sealed record WorkflowImportCheck(string What, long Expected, long Actual, string? Problem, string? ExpectedDigest = null, string? ActualDigest = null)
{
    /// <summary>One line a person can read.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{What}: {Expected:N0} → {Actual:N0}{(ExpectedDigest is null ? "" : $", checksums {ExpectedDigest} → {ActualDigest}")}{(Problem is null ? " ok" : $" — {Problem}")}");
}

/// <summary>The comparisons of a branch's workflow store and its copy in PostgreSQL (ADR 22).</summary>
/// <param name="Checks">Every comparison.</param>
/// <param name="Differing">Every workflow id, log reference and event id that is missing from the copy or differs there.</param>
public sealed record WorkflowImportVerification(IReadOnlyList<WorkflowImportCheck> Checks, IReadOnlyList<string> Differing)
{
    /// <summary>True when every count and every checksum agrees.</summary>
    public bool IsClean => Checks.All(c => c.Problem is null);
}
