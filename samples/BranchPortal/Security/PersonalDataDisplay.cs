using System.Security.Claims;
using DonorRegistry;
using DonorRegistry.Donors;

namespace BranchPortal.Security;

/// <summary>A donor's person as a page may show it: name and ID number, or nothing once the donor withdrew.</summary>
/// <param name="Name">The full name, or null when erased.</param>
/// <param name="NationalId">The resident ID number, or null when erased.</param>
/// <param name="Phone">The mobile phone, or null when erased.</param>
/// <param name="Erased">True when the donor withdrew and the personal data is gone.</param>
public sealed record ShownPerson(string? Name, string? NationalId, string? Phone, bool Erased);

/// <summary>
/// The one place the portal reads a donor's personal data for a page (names, ID numbers, phones). Every page that
/// shows a person goes through <see cref="Show"/>. SEAM: the core library's role work brings
/// <c>PersonalDataMask</c> (masking for the lab role, access-denied auditing); once it is merged, <see cref="Show"/>
/// applies it for the viewer here, and no page changes. The portal has no masking rule of its own.
/// </summary>
/// <param name="donors">The registry's donors.</param>
public sealed class PersonalDataDisplay(DonorOperations donors)
{
    /// <summary>The donor's person as this viewer may see it.</summary>
    /// <param name="viewer">The signed-in user (for the core's mask, once merged).</param>
    /// <param name="donor">The donor.</param>
    /// <returns>The person, or an erased one after withdrawal.</returns>
    public ShownPerson Show(ClaimsPrincipal viewer, DonorId donor)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        try
        {
            var personal = donors.GetPersonalData(donor);
            return new ShownPerson(personal.FullName, personal.NationalId, personal.Phone, false);
        }
        catch (PersonalDataErasedException)
        {
            return new ShownPerson(null, null, null, true);
        }
    }
}
