using BranchPortal.Forms;
using BranchPortal.Security;
using DonorRegistry;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Workflows.CampusDrive;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages.Organizer;

/// <summary>
/// Enrols one volunteer through a drive whose enrolment is open (<see cref="DriveWorkflows.Enrol"/>). Each problem is
/// shown beside its field in the library's own words: first the form checks the library offers (<see cref="FormChecks"/>),
/// then the verb's refusal. The form carries a one-time token, so a second post of the same form enrols nobody; the
/// library refuses a person already enrolled in any case (<see cref="DuplicateDonorException"/>).
/// </summary>
/// <param name="workflows">The drive workflows.</param>
/// <param name="drives">The registry's drives.</param>
/// <param name="tokens">The one-time form tokens.</param>
/// <param name="t">The strings.</param>
public sealed class EnrolModel(DriveWorkflows workflows, DriveOperations drives, OneTimeFormTokens tokens, IStringLocalizer<SharedResource> t) : PageModel
{
    private static readonly Dictionary<string, string> Inputs = new(StringComparer.Ordinal)
    {
        ["FullName"] = nameof(FullName),
        ["NationalId"] = nameof(NationalId),
        ["Sex"] = nameof(Sex),
        ["BirthDate"] = nameof(BirthDate),
        ["Phone"] = nameof(Phone),
        ["Address"] = nameof(Address),
        ["Abo"] = nameof(Abo),
        ["Rh"] = nameof(Rh),
        ["Cmv"] = nameof(Cmv),
        ["EmergencyContact.Name"] = nameof(ContactName),
        ["EmergencyContact.Relationship"] = nameof(ContactRelationship),
        ["EmergencyContact.Phone"] = nameof(ContactPhone),
    };

    /// <summary>The drive's code.</summary>
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    /// <summary>The drive's name.</summary>
    public string DriveName { get; private set; } = string.Empty;

    /// <summary>Volunteers enrolled through the drive so far.</summary>
    public int Enrolled { get; private set; }

    /// <summary>True while the drive's enrolment is open.</summary>
    public bool Open { get; private set; }

    /// <summary>The form's one-time token.</summary>
    [BindProperty]
    public string? FormToken { get; set; }

    /// <summary>The volunteer's full name.</summary>
    [BindProperty]
    public string? FullName { get; set; }

    /// <summary>The resident ID number.</summary>
    [BindProperty]
    public string? NationalId { get; set; }

    /// <summary>Sex as the ID holds it.</summary>
    [BindProperty]
    public Sex? Sex { get; set; }

    /// <summary>Birth date as the ID holds it.</summary>
    [BindProperty]
    public DateOnly? BirthDate { get; set; }

    /// <summary>Mobile phone.</summary>
    [BindProperty]
    public string? Phone { get; set; }

    /// <summary>Address.</summary>
    [BindProperty]
    public string? Address { get; set; }

    /// <summary>ABO group, if known.</summary>
    [BindProperty]
    public AboGroup Abo { get; set; } = AboGroup.Unknown;

    /// <summary>RhD, if known.</summary>
    [BindProperty]
    public RhD Rh { get; set; } = RhD.Unknown;

    /// <summary>CMV status, if known.</summary>
    [BindProperty]
    public CmvStatus Cmv { get; set; } = CmvStatus.Unknown;

    /// <summary>An emergency contact's name (optional; then all three contact fields).</summary>
    [BindProperty]
    public string? ContactName { get; set; }

    /// <summary>The contact's relationship.</summary>
    [BindProperty]
    public string? ContactRelationship { get; set; }

    /// <summary>The contact's phone.</summary>
    [BindProperty]
    public string? ContactPhone { get; set; }

    /// <summary>Shows an empty form with a new token.</summary>
    /// <returns>The page, or 404.</returns>
    public IActionResult OnGet()
    {
        if (Find() is null)
        {
            return NotFound();
        }

        FormToken = tokens.Issue(User.Identity!.Name!);
        return Page();
    }

    /// <summary>Enrols the volunteer, once per form.</summary>
    /// <returns>A new form for the next volunteer, or this one with the problems beside their fields.</returns>
    public IActionResult OnPost()
    {
        if (Find() is not { } drive)
        {
            return NotFound();
        }

        if (!tokens.TryRedeem(FormToken, User.Identity!.Name!))
        {
            TempData["Problem"] = t["Enrol.AlreadySubmitted"].Value;
            return Redirect($"/Organizer/Drive/{drive.Id}");
        }

        if (Check() && Enrol(drive) is { } donor)
        {
            TempData["Message"] = t["Enrol.Done", FullName!, donor.Id.ToString()].Value;
            return Redirect($"/Organizer/Enrol/{drive.Id}");
        }

        // Refused: the same form again, with its problems and a new token (the old one is spent; the posted value
        // would win over the new one in the form unless it is removed from the model state).
        ModelState.Remove(nameof(FormToken));
        FormToken = tokens.Issue(User.Identity!.Name!);
        Find();
        return Page();
    }

    /// <summary>The library's form checks, each problem beside its field; true when nothing is wrong.</summary>
    private bool Check()
    {
        ModelState.Require(t, nameof(FullName), FullName);
        ModelState.Require(t, nameof(Address), Address);
        ModelState.Require(t, nameof(Sex), Sex);
        ModelState.Require(t, nameof(BirthDate), BirthDate);

        if (FormChecks.ResidentId(NationalId, BirthDate, Sex) is { } idProblem)
        {
            LibraryErrors.Add(ModelState, t, idProblem, nameof(NationalId));
        }

        if (FormChecks.PhoneNumber(Phone) is { } phoneProblem)
        {
            LibraryErrors.Add(ModelState, t, phoneProblem, nameof(Phone));
        }

        if (HasContact && FormChecks.PhoneNumber(ContactPhone, "EmergencyContact.Phone") is { } contactProblem)
        {
            LibraryErrors.Add(ModelState, t, contactProblem, nameof(ContactPhone));
        }

        return ModelState.IsValid;
    }

    private bool HasContact => !string.IsNullOrWhiteSpace(ContactName) || !string.IsNullOrWhiteSpace(ContactRelationship) || !string.IsNullOrWhiteSpace(ContactPhone);

    private Donor? Enrol(Drive drive)
    {
        var request = new EnrolmentRequest(
            new DonorProfile(Sex!.Value, BirthDate!.Value, Abo, Rh, Cmv, drive.Id),
            new PersonalData(FullName!, NationalId!, Phone!, Address!, HasContact ? [new EmergencyContact(ContactName ?? string.Empty, ContactRelationship ?? string.Empty, ContactPhone ?? string.Empty)] : []));
        try
        {
            return workflows.Enrol(drive.Id, [request], PortalActor.Of(User))[0];
        }
        catch (RegistryValidationException e)
        {
            LibraryErrors.Add(ModelState, t, e, Inputs);
        }
        catch (DuplicateDonorException e)
        {
            ModelState.AddModelError(nameof(NationalId), LibraryErrors.Message(t, e));
        }
        catch (DonorRegistryException e) when (e is not DonorRegistry.Access.AccessDeniedException)
        {
            ModelState.AddModelError(string.Empty, LibraryErrors.Message(t, e));
        }

        return null;
    }


    private Drive? Find()
    {
        try
        {
            if (drives.TryGet(new DriveId(Id), out var drive))
            {
                DriveName = drive.Plan.Name;
                Open = drive.State == DriveState.EnrolmentOpen;
                Enrolled = drives.GetStatistics(drive.Id).Enrolled;
                return drive;
            }
        }
        catch (RegistryValidationException)
        {
        }

        return null;
    }
}
