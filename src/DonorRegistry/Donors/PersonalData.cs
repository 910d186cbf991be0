namespace DonorRegistry.Donors;

/// <summary>
/// The identifying data of a donor. It is encrypted at rest under the donor's own data key and is
/// destroyed for good when the donor withdraws consent.
/// </summary>
/// <param name="FullName">Full name as on the ID card.</param>
/// <param name="NationalId">National ID number (for China, the 18-character resident ID).</param>
/// <param name="Phone">Mobile phone number.</param>
/// <param name="Address">Postal address.</param>
/// <param name="EmergencyContacts">People to call when the donor cannot be reached.</param>
public sealed record PersonalData(
    string FullName,
    string NationalId,
    string Phone,
    string Address,
    IReadOnlyList<EmergencyContact> EmergencyContacts)
{
    /// <summary>Records are equal when every field and every contact is equal.</summary>
    /// <param name="other">The other record.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(PersonalData? other) =>
        other is not null
        && FullName == other.FullName
        && NationalId == other.NationalId
        && Phone == other.Phone
        && Address == other.Address
        && EmergencyContacts.SequenceEqual(other.EmergencyContacts);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(FullName, NationalId, Phone, Address, EmergencyContacts.Count);

    /// <summary>
    /// The data masked, so that a log line or a debugger never shows it whole:
    /// <c>王* (national ID 110105********1023, phone *******5678, 1 emergency contact)</c>. The address is left out.
    /// </summary>
    /// <returns>The masked line.</returns>
    public override string ToString() =>
        $"{Readable.MaskName(FullName)} (national ID {Protection.NationalIdNumber.Mask(NationalId)}, phone {FormChecks.MaskPhone(Phone)}, {Readable.Count(EmergencyContacts?.Count ?? 0, "emergency contact")})";
}
