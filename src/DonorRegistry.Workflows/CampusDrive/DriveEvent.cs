namespace DonorRegistry.Workflows.CampusDrive;

/// <summary>What a drive event carries: who raised it, and for shipments and receipts the tubes and the lab.</summary>
internal sealed class DriveEvent
{
    /// <summary>Who raised the event; the steps record it as the actor in the audit trail.</summary>
    public string By { get; set; } = string.Empty;

    /// <summary>
    /// The roles of the user who raised it, by name, so the steps act with exactly that user's roles; null for a host
    /// actor (and for events stored before roles existed), which the steps act as again.
    /// </summary>
    public IReadOnlyList<string>? Roles { get; set; }

    /// <summary>The event's content for <paramref name="actor"/>.</summary>
    /// <param name="actor">Who raises it.</param>
    /// <returns>The event.</returns>
    public static DriveEvent From(Access.Actor actor) =>
        new() { By = actor.Name, Roles = actor.IsHost ? null : actor.Roles.Select(r => r.ToString()).ToList() }; // a List: the event is stored with its type names

    /// <summary>The actor the event names, as the steps act: the user with their roles, or a host actor.</summary>
    /// <param name="fallback">The name when the event names no one (the workflow acting on its own).</param>
    /// <returns>The actor.</returns>
    public Access.Actor Actor(string fallback)
    {
        var name = string.IsNullOrWhiteSpace(By) ? fallback : By;
        return Roles is null
            ? Access.Actor.Host(name)
            : Access.Actor.For(name, [.. Roles.Select(r => Enum.Parse<Access.Role>(r))]);
    }

    /// <summary>The tubes a shipment or receipt is about, or null for all of the drive's.</summary>
    public IReadOnlyList<string>? Barcodes { get; set; }

    /// <summary>The lab a shipment goes to, or null for the drive's lab.</summary>
    public string? Lab { get; set; }
}
