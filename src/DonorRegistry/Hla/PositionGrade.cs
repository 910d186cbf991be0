namespace DonorRegistry.Hla;

/// <summary>
/// How well a donor's allele matches the patient's at one position, best first (the order of the open-source
/// reference engine's grades, folded to the levels a registry reports). A <see cref="MatchThreshold"/> says which count as matched.
/// </summary>
public enum PositionGrade
{
    /// <summary>The same allele (the same protein: equal in the first two fields), or two null alleles.</summary>
    Allele = 0,

    /// <summary>Different alleles with identical DNA in the antigen-recognition domain (same G group).</summary>
    GGroup = 1,

    /// <summary>Different alleles with the same protein in the antigen-binding domain (same P group, whatever their first fields).</summary>
    PGroup = 2,

    /// <summary>Serology: an associated antigen against the antigen it is associated with, or the same associated antigen (<c>rel_ser_ser.txt</c>).</summary>
    Associated = 3,

    /// <summary>Serology: the same antigen (the same split, or the same antigen that has no splits); without serology, the same allele family.</summary>
    Antigen = 4,

    /// <summary>Serology: a split against its broad antigen (<c>rel_ser_ser.txt</c>), such as B62 against B15.</summary>
    Broad = 5,

    /// <summary>An expressed allele against a null allele: a mismatch at every threshold, graded apart from others.</summary>
    ExpressingVsNull = 6,

    /// <summary>A mismatch: different antigens (two splits of one broad included).</summary>
    Mismatch = 7,
}
