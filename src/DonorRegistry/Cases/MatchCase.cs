using DonorRegistry.Donors;

namespace DonorRegistry.Cases;

/// <summary>
/// One patient's case with one donor, from the potential match to the delivered product. The patient is
/// known here only by the transplant centre's opaque reference; the donor's record holds only <see cref="Id"/>.
/// </summary>
public sealed class MatchCase : Storage.IAggregate
{
    internal MatchCase(CaseReference id, DonorId donor, string patientReference, DateTimeOffset openedAt)
    {
        Id = id;
        DonorId = donor;
        PatientReference = patientReference;
        OpenedAt = openedAt;
        StateSince = openedAt;
    }

    /// <summary>The case reference (what the donor's record holds).</summary>
    public CaseReference Id { get; }

    /// <summary>The donor.</summary>
    public DonorId DonorId { get; }

    /// <summary>The transplant centre's opaque patient reference; never stored on the donor.</summary>
    public string PatientReference { get; }

    /// <summary>Where the case is.</summary>
    public CaseState State { get; internal set; }

    /// <summary>How many changes were stored.</summary>
    public int Version { get; internal set; }

    /// <summary>When the case was opened.</summary>
    public DateTimeOffset OpenedAt { get; }

    /// <summary>When the case entered <see cref="State"/>.</summary>
    public DateTimeOffset StateSince { get; internal set; }

    /// <summary>The product chosen when collection started: PBSC for apheresis, bone marrow for a harvest.</summary>
    public DonationProduct? Product { get; internal set; }

    /// <summary>The day of collection.</summary>
    public DateOnly? CollectedOn { get; internal set; }

    /// <summary>Why the case was cancelled or declined.</summary>
    public string? EndReason { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"{Id} {State} v{Version} (donor {DonorId})";

    int Storage.IAggregate.Version
    {
        get => Version;
        set => Version = value;
    }

    string Storage.IAggregate.Key => Id.ToString();

    string Storage.IAggregate.StateName => State.ToString();

    void Storage.IAggregate.Touch(DateTimeOffset at, bool stateChanged) => StateSince = at;
}
