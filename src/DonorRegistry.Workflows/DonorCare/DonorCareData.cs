namespace DonorRegistry.Workflows.DonorCare;

/// <summary>
/// What a donor-care workflow keeps: the donation, how often it reviews the care plan, and what the last review
/// read. The plan itself and what was done are in the registry; the due items already put on the coordinators'
/// list are in the execution log, keyed by workflow, step and item.
/// </summary>
internal sealed class DonorCareData
{
    /// <summary>The donation's number.</summary>
    public string Donation { get; set; } = string.Empty;

    /// <summary>How often the plan is reviewed for items that fell due.</summary>
    public TimeSpan ReviewEvery { get; set; }

    /// <summary>Read from the registry: every follow-up is done and every visit made or skipped (or the donor withdrew).</summary>
    public bool Complete { get; set; }

    /// <summary>When the plan was last reviewed (UTC, WorkflowCore's clock); events after it are the ones to wait for.</summary>
    public DateTime ReviewedAt { get; set; }
}
