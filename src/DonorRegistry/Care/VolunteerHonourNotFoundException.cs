namespace DonorRegistry.Care;

/// <summary>Thrown when a number names no volunteer honour in the registry.</summary>
public sealed class VolunteerHonourNotFoundException : NotFoundException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="honour">The number that was not found.</param>
    public VolunteerHonourNotFoundException(string honour)
        : base(AggregateKind.Volunteer, honour, $"No volunteer honour '{Guard.Prefix(honour)}' is in this registry; their numbers look like VOL-00000001.")
    {
        Honour = honour;
    }

    /// <summary>The number that was not found.</summary>
    public string Honour { get; }
}
