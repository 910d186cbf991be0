namespace DonorRegistry;

/// <summary>How the registry checks national ID numbers at enrolment.</summary>
public enum NationalIdFormat
{
    /// <summary>
    /// The 18-character PRC resident identity number: 17 digits and an ISO 7064 MOD 11-2 check
    /// character, whose birth date and sex must agree with the profile. The default.
    /// </summary>
    ChineseResidentId = 0,

    /// <summary>Any non-empty text of at most 64 characters (for registries elsewhere).</summary>
    Opaque = 1,
}
