namespace DonorRegistry.Workflows.DonorCare;

/// <summary>The event a donor-care workflow waits for: what a coordinator did, already stored in the registry.</summary>
internal sealed class CareEvent
{
    /// <summary>The WorkflowCore event name; the key is the donation's number.</summary>
    public const string Name = "CareEvent";

    /// <summary>What was done.</summary>
    public CareEventKind Kind { get; set; }

    /// <summary>The follow-up's or visit's key, or the recognition's number.</summary>
    public string? Subject { get; set; }

    /// <summary>Who did it.</summary>
    public string By { get; set; } = string.Empty;
}
