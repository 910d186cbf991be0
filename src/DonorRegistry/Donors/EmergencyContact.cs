namespace DonorRegistry.Donors;

/// <summary>Someone to call when the donor cannot be reached.</summary>
/// <param name="Name">Full name.</param>
/// <param name="Relationship">How they relate to the donor (parent, spouse, roommate, ...).</param>
/// <param name="Phone">Phone number.</param>
public sealed record EmergencyContact(string Name, string Relationship, string Phone)
{
    /// <summary>The contact with the name and phone masked, so that a log line never holds them: <c>父亲 李** (phone *******5678)</c>.</summary>
    /// <returns>The masked line.</returns>
    public override string ToString() => $"{Relationship} {Readable.MaskName(Name)} (phone {FormChecks.MaskPhone(Phone)})";
}
