using DonorRegistry.Donors;

namespace DonorRegistry.Care;

/// <summary>What a coordinator records for one collection.</summary>
/// <param name="Case">The patient's case the product went to.</param>
/// <param name="Product">PBSC, bone marrow or lymphocytes (DLI).</param>
/// <param name="CollectionStart">The first collection day.</param>
/// <param name="CollectionEnd">The last collection day (the same day for a one-day collection).</param>
/// <param name="GcsfDays">Days of G-CSF mobilization (PBSC only; 0 to 10), or null.</param>
/// <param name="Centre">The collection centre (1 to 200 characters).</param>
/// <param name="Outcome">How the collection ended.</param>
/// <param name="AdverseEvents">What went wrong, if anything.</param>
public sealed record DonationDetails(
    CaseReference Case,
    DonationProduct Product,
    DateOnly CollectionStart,
    DateOnly CollectionEnd,
    int? GcsfDays,
    string Centre,
    DonationOutcome Outcome,
    IReadOnlyList<AdverseEvent>? AdverseEvents = null);
