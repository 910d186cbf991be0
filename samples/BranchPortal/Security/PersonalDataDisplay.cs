using System.Security.Claims;
using BranchPortal.Forms;
using DonorRegistry;
using DonorRegistry.Access;
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
/// shows a person goes through <see cref="Show"/>, which reads it as the signed-in user (<see cref="PortalActor"/>):
/// the library writes each read to its access log (who read whose data, when, why) and masks the data for a role
/// that may not read it (the lab, viewers: 张*, 110***********1234). The portal has no masking rule of its own.
/// </summary>
/// <param name="donors">The registry's donors.</param>
public sealed class PersonalDataDisplay(DonorOperations donors)
{
    /// <summary>The donor's person as this viewer may see it.</summary>
    /// <param name="viewer">The signed-in user.</param>
    /// <param name="donor">The donor.</param>
    /// <param name="reason">Why the page shows it, for the access log.</param>
    /// <returns>The person (masked for a role that may not read it), or an erased one after withdrawal.</returns>
    public ShownPerson Show(ClaimsPrincipal viewer, DonorId donor, string reason = PortalReasons.ShownOnAPage)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        try
        {
            var personal = donors.GetPersonalData(donor, PortalActor.Of(viewer), reason);
            return new ShownPerson(personal.FullName, personal.NationalId, personal.Phone, false);
        }
        catch (PersonalDataErasedException)
        {
            return new ShownPerson(null, null, null, true);
        }
    }
}
