namespace DonorRegistry.Hla;

/// <summary>How well a donor's allele matches the patient's at one position, best first.</summary>
public enum PositionGrade
{
    /// <summary>The same allele (the same protein: equal in the first two fields).</summary>
    Allele = 0,

    /// <summary>Different alleles with identical DNA in the antigen-recognition domain (same G group).</summary>
    GGroup = 1,

    /// <summary>Different alleles with the same protein in the antigen-binding domain (same P group).</summary>
    PGroup = 2,

    /// <summary>The same antigen only (same allele family, or the same serological antigen).</summary>
    Antigen = 3,

    /// <summary>A mismatch (including an expressed allele against a null allele).</summary>
    Mismatch = 4,
}
