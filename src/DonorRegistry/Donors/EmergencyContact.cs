namespace DonorRegistry.Donors;

/// <summary>Someone to call when the donor cannot be reached.</summary>
/// <param name="Name">Full name.</param>
/// <param name="Relationship">How they relate to the donor (parent, spouse, roommate, ...).</param>
/// <param name="Phone">Phone number.</param>
public sealed record EmergencyContact(string Name, string Relationship, string Phone);
