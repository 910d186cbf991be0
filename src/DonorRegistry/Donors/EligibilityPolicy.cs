namespace DonorRegistry.Donors;

/// <summary>
/// The registry's eligibility and rest rules. The defaults are the China Marrow Donor Program's;
/// other registries' values are given in each property's remarks.
/// </summary>
public sealed class EligibilityPolicy
{
    /// <summary>Youngest age at which a volunteer may join. Default 18 (NMDP 18, DKMS 18, Anthony Nolan 16).</summary>
    public int MinimumJoinAge { get; set; } = 18;

    /// <summary>Oldest age at which a volunteer may join, inclusive. Default 45 (NMDP 40, DKMS 55, Anthony Nolan 30).</summary>
    public int MaximumJoinAge { get; set; } = 45;

    /// <summary>Age at which a listed donor leaves the registry (WMDA reason <c>DO</c>). Default 60 (NMDP and Anthony Nolan 61).</summary>
    public int LeavingAge { get; set; } = 60;

    /// <summary>Months of rest after a PBSC donation before the donor is available again. Default 3.</summary>
    public int RecoveryMonthsAfterPbsc { get; set; } = 3;

    /// <summary>Months of rest after a bone-marrow harvest before the donor is available again. Default 3.</summary>
    public int RecoveryMonthsAfterMarrow { get; set; } = 3;

    /// <summary>Months of rest after a lymphocyte (DLI) donation before the donor is available again. Default 1.</summary>
    public int RecoveryMonthsAfterLymphocytes { get; set; } = 1;

    /// <summary>
    /// Removal reasons after which a donor may be reactivated. Default: every reason except
    /// <c>DD</c> (died) and <c>DO</c> (too old).
    /// </summary>
    public IList<RemovalReason> ReactivatableReasons { get; set; } =
        RemovalReason.All.Where(r => r != RemovalReason.Died && r != RemovalReason.TooOld).ToList();

    /// <summary>Months of rest after a donation of <paramref name="product"/>.</summary>
    /// <param name="product">What was collected.</param>
    /// <returns>The months of rest.</returns>
    public int RecoveryMonths(DonationProduct product) => product switch
    {
        DonationProduct.Pbsc => RecoveryMonthsAfterPbsc,
        DonationProduct.BoneMarrow => RecoveryMonthsAfterMarrow,
        DonationProduct.Lymphocytes => RecoveryMonthsAfterLymphocytes,
        _ => throw new RegistryValidationException(nameof(product), product.ToString(), "is not a donation product", "use Pbsc, BoneMarrow or Lymphocytes"),
    };

    /// <summary>The day a person born on <paramref name="birthDate"/> reaches the leaving age.</summary>
    /// <param name="birthDate">Birth date.</param>
    /// <returns>The day.</returns>
    public DateOnly LeavingDate(DateOnly birthDate) => birthDate.AddYears(LeavingAge);

    /// <summary>A copy, so that a registry's rules cannot change under it after it opens.</summary>
    internal EligibilityPolicy Clone() => new()
    {
        MinimumJoinAge = MinimumJoinAge,
        MaximumJoinAge = MaximumJoinAge,
        LeavingAge = LeavingAge,
        RecoveryMonthsAfterPbsc = RecoveryMonthsAfterPbsc,
        RecoveryMonthsAfterMarrow = RecoveryMonthsAfterMarrow,
        RecoveryMonthsAfterLymphocytes = RecoveryMonthsAfterLymphocytes,
        ReactivatableReasons = ReactivatableReasons.ToList(),
    };

    /// <summary>A person's age in whole years on a day.</summary>
    /// <param name="birthDate">Birth date.</param>
    /// <param name="onDate">The day.</param>
    /// <returns>The age.</returns>
    public static int AgeOn(DateOnly birthDate, DateOnly onDate)
    {
        var age = onDate.Year - birthDate.Year;
        return onDate < birthDate.AddYears(age) ? age - 1 : age;
    }

    /// <summary>Checks that the rules are consistent.</summary>
    /// <exception cref="RegistryValidationException">A rule is out of range or contradicts another.</exception>
    public void Validate()
    {
        if (MinimumJoinAge is < 16 or > 100)
        {
            throw new RegistryValidationException("EligibilityPolicy", null, "is not allowed", $"MinimumJoinAge {MinimumJoinAge} is out of range; use 16 to 100.", $"MinimumJoinAge {MinimumJoinAge} is out of range; use 16 to 100.");
        }

        if (MaximumJoinAge < MinimumJoinAge)
        {
            throw new RegistryValidationException("EligibilityPolicy", null, "is not allowed", $"MaximumJoinAge {MaximumJoinAge} is below MinimumJoinAge {MinimumJoinAge}; the join range must not be empty.", $"MaximumJoinAge {MaximumJoinAge} is below MinimumJoinAge {MinimumJoinAge}; the join range must not be empty.");
        }

        if (LeavingAge <= MaximumJoinAge)
        {
            throw new RegistryValidationException("EligibilityPolicy", null, "is not allowed", $"LeavingAge {LeavingAge} must be above MaximumJoinAge {MaximumJoinAge}, or donors would leave as they join.", $"LeavingAge {LeavingAge} must be above MaximumJoinAge {MaximumJoinAge}, or donors would leave as they join.");
        }

        foreach (var (name, months) in new[]
                 {
                     (nameof(RecoveryMonthsAfterPbsc), RecoveryMonthsAfterPbsc),
                     (nameof(RecoveryMonthsAfterMarrow), RecoveryMonthsAfterMarrow),
                     (nameof(RecoveryMonthsAfterLymphocytes), RecoveryMonthsAfterLymphocytes),
                 })
        {
            if (months is < 0 or > 120)
            {
                throw new RegistryValidationException("EligibilityPolicy", null, "is not allowed", $"{name} {months} is out of range; use 0 to 120 months.", $"{name} {months} is out of range; use 0 to 120 months.");
            }
        }

        Guard.NotNull(ReactivatableReasons, nameof(ReactivatableReasons), "give a value; null is not allowed");
    }
}
