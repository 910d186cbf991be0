namespace DonorRegistry.Care;

/// <summary>
/// The rules of care after donation: how long follow-ups go on, how long donor and recipient stay anonymous to
/// each other, and the appreciation rules. Rest periods between donations are the
/// <see cref="Donors.EligibilityPolicy"/>'s recovery months.
/// </summary>
public sealed class CarePolicy
{
    /// <summary>Yearly follow-ups after the month-6 check, for this many years (DKMS: 10). Default 10.</summary>
    public int FollowUpYears { get; set; } = 10;

    /// <summary>Years after a donation during which nothing that could identify donor or recipient is released. Default 2.</summary>
    public int AnonymityYears { get; set; } = 2;

    /// <summary>The appreciation rules.</summary>
    public AppreciationPolicy Appreciation { get; set; } = new();

    internal CarePolicy Clone() => new() { FollowUpYears = FollowUpYears, AnonymityYears = AnonymityYears, Appreciation = Appreciation.Clone() };

    internal void Validate()
    {
        if (FollowUpYears is < 0 or > 30)
        {
            throw new RegistryValidationException(nameof(FollowUpYears), null, "is not allowed", $"CarePolicy.FollowUpYears is {FollowUpYears}; give 0 to 30 years.", $"CarePolicy.FollowUpYears is {FollowUpYears}; give 0 to 30 years.");
        }

        if (AnonymityYears is < 0 or > 10)
        {
            throw new RegistryValidationException(nameof(AnonymityYears), null, "is not allowed", $"CarePolicy.AnonymityYears is {AnonymityYears}; give 0 to 10 years.", $"CarePolicy.AnonymityYears is {AnonymityYears}; give 0 to 10 years.");
        }

        Guard.NotNull(Appreciation, nameof(Appreciation), "give a value; null is not allowed");
        Appreciation.Validate();
    }
}
