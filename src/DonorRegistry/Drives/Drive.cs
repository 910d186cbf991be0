using DonorRegistry.Donors;

namespace DonorRegistry.Drives;

/// <summary>A recruitment drive as the registry holds it: the plan, where it is, and its version.</summary>
public sealed class Drive : Storage.IAggregate
{
    internal Drive(DrivePlan plan, DateTimeOffset plannedAt)
    {
        Plan = plan;
        PlannedAt = plannedAt;
        StateSince = plannedAt;
    }

    /// <summary>The drive's code.</summary>
    public DriveId Id => Plan.Id;

    /// <summary>What was planned.</summary>
    public DrivePlan Plan { get; }

    /// <summary>When it was planned.</summary>
    public DateTimeOffset PlannedAt { get; }

    /// <summary>Where the drive is.</summary>
    public DriveState State { get; internal set; }

    /// <summary>When the drive entered <see cref="State"/>.</summary>
    public DateTimeOffset StateSince { get; internal set; }

    /// <summary>How many changes were stored; each has one audit record.</summary>
    public int Version { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"{Id} {State} v{Version}";

    int Storage.IAggregate.Version
    {
        get => Version;
        set => Version = value;
    }

    string Storage.IAggregate.Key => Id.ToString();

    string Storage.IAggregate.StateName => State.ToString();

    void Storage.IAggregate.Touch(DateTimeOffset at, bool stateChanged) => StateSince = at;
}
