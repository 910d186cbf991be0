namespace DonorRegistry.Donors;

/// <summary>A donor's sex as recorded at enrolment (it ranks donors in a search).</summary>
public enum Sex
{
    /// <summary>Female.</summary>
    Female = 1,

    /// <summary>Male.</summary>
    Male = 2,
}
