using System.Globalization;
using DonorRegistry.Donors;

namespace DonorRegistry.Access;

/// <summary>
/// The one rule for showing personal data to a role that may not read it (<see cref="RegistryAction.ReadPersonalData"/>):
/// a name keeps its first character (张三 → 张*), a national ID its first 3 and last 4 characters
/// (110***********1234), a phone number its first 3 and last 4 digits (138****5678), an address its first 3 characters.
/// The registry masks with it; a web app uses it for anything it shows from elsewhere.
/// </summary>
public static class PersonalDataMask
{
    /// <summary>A name with every character after the first masked: 张三 → 张*, 欧阳娜娜 → 欧***.</summary>
    /// <param name="name">The name; null or empty gives empty.</param>
    /// <returns>The masked name.</returns>
    public static string Name(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return string.Empty;
        }

        var elements = StringInfo.GetTextElementEnumerator(name.Trim());
        var first = elements.MoveNext() ? elements.GetTextElement() : string.Empty;
        var rest = 0;
        while (elements.MoveNext())
        {
            rest++;
        }

        return first + new string('*', Math.Max(rest, 1));
    }

    /// <summary>A national ID with all but its first 3 and last 4 characters masked: 110***********1234. Up to 7 characters are masked whole.</summary>
    /// <param name="nationalId">The number; null or empty gives empty.</param>
    /// <returns>The masked number.</returns>
    public static string NationalId(string? nationalId) => Keep(nationalId, 3, 4);

    /// <summary>A phone number with all but its first 3 and last 4 characters masked: 138****5678. Up to 7 characters are masked whole.</summary>
    /// <param name="phone">The number; null or empty gives empty.</param>
    /// <returns>The masked number.</returns>
    public static string Phone(string? phone) => Keep(phone, 3, 4);

    /// <summary>An address with all but its first 3 characters masked: 北京市****.</summary>
    /// <param name="address">The address; null or empty gives empty.</param>
    /// <returns>The masked address.</returns>
    public static string Address(string? address) =>
        string.IsNullOrEmpty(address) ? string.Empty : address.Trim() is var a && a.Length <= 3 ? new string('*', a.Length) : a[..3] + "****";

    /// <summary>A donor's personal data with every field masked by the rules above (a contact's relationship stays).</summary>
    /// <param name="personal">The data.</param>
    /// <returns>The masked copy.</returns>
    /// <exception cref="RegistryValidationException">The data is missing.</exception>
    public static PersonalData Apply(PersonalData personal)
    {
        Guard.NotNull(personal, nameof(personal), "give the personal data to mask");
        return new PersonalData(
            Name(personal.FullName),
            NationalId(personal.NationalId),
            Phone(personal.Phone),
            Address(personal.Address),
            (personal.EmergencyContacts ?? []).Select(c => new EmergencyContact(Name(c.Name), c.Relationship, Phone(c.Phone))).ToList());
    }

    private static string Keep(string? value, int head, int tail)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var v = value.Trim();
        return v.Length <= head + tail ? new string('*', v.Length) : v[..head] + new string('*', v.Length - head - tail) + v[^tail..];
    }
}
