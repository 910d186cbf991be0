namespace DonorRegistry.Donors;

/// <summary>
/// The non-identifying facts about a donor that searches and statistics use. Identifying data
/// (name, national ID, phone, address, contacts) is in <see cref="PersonalData"/> and is encrypted.
/// </summary>
/// <param name="Sex">Sex.</param>
/// <param name="BirthDate">Birth date (after withdrawal only the year is kept, as 1 July of that year).</param>
/// <param name="Abo">ABO group.</param>
/// <param name="Rh">RhD group.</param>
/// <param name="Cmv">CMV serostatus.</param>
/// <param name="Drive">The drive the donor enrolled through, if any.</param>
public sealed record DonorProfile(
    Sex Sex,
    DateOnly BirthDate,
    AboGroup Abo = AboGroup.Unknown,
    RhD Rh = RhD.Unknown,
    CmvStatus Cmv = CmvStatus.Unknown,
    DriveId? Drive = null)
{
    /// <summary>One line a person can read: <c>Female, born 2003-05-14, A RhD Positive, CMV Negative, drive CUC-2026-03</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => $"{Sex}, born {Readable.Day(BirthDate)}, {Abo} RhD {Rh}, CMV {Cmv}{(Drive is { } drive ? $", drive {drive}" : string.Empty)}";
}
