namespace DonorRegistry.Donors;

/// <summary>What a volunteer gives when they enrol: the profile, the personal data, and their consent.</summary>
/// <param name="Profile">The non-identifying profile.</param>
/// <param name="Personal">The identifying data, encrypted at rest.</param>
public sealed record EnrolmentRequest(DonorProfile Profile, PersonalData Personal);
