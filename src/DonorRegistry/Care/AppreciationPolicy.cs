namespace DonorRegistry.Care;

/// <summary>
/// A branch's written rules for visiting and thanking donors, as options: change the list to change the rules,
/// without code. The default is the reference branch's: a visit at the collection, one within a month after it,
/// and for the next year the two festivals and World Marrow Donor Day.
/// </summary>
public sealed class AppreciationPolicy
{
    /// <summary>The rules, one per occasion.</summary>
    public IList<AppreciationRule> Rules { get; set; } = new List<AppreciationRule>
    {
        new(AppreciationOccasion.AtDonation, WindowDays: 0),
        new(AppreciationOccasion.AfterDonation, DaysAfterDonation: 14, WindowDays: 16),
        new(AppreciationOccasion.SpringFestival, WindowDays: 14, Years: 1),
        new(AppreciationOccasion.MidAutumnFestival, WindowDays: 7, Years: 1),
        new(AppreciationOccasion.WorldMarrowDonorDay, WindowDays: 0, Years: 1),
    };

    /// <summary>
    /// The occasions on which the branch visits outstanding drive volunteers it names
    /// (<see cref="CareOperations.NameOutstandingVolunteer"/>): by default Spring Festival and Mid-Autumn Festival, the
    /// next of each after the day named. Only calendar occasions (SpringFestival, MidAutumnFestival,
    /// WorldMarrowDonorDay); a visit may take the window of the donors' rule for the same occasion, else 7 days. Empty:
    /// the branch names no volunteers.
    /// </summary>
    public IList<AppreciationOccasion> VolunteerOccasions { get; set; } = new List<AppreciationOccasion>
    {
        AppreciationOccasion.SpringFestival,
        AppreciationOccasion.MidAutumnFestival,
    };

    internal AppreciationPolicy Clone() => new() { Rules = Rules.ToList(), VolunteerOccasions = VolunteerOccasions.ToList() };

    internal void Validate()
    {
        foreach (var rule in Rules)
        {
            if (rule is null || !Enum.IsDefined(rule.Occasion))
            {
                throw new RegistryValidationException(nameof(Rules), null, "holds an unknown occasion", "use AtDonation, AfterDonation, SpringFestival, MidAutumnFestival or WorldMarrowDonorDay", $"AppreciationPolicy.Rules holds {(rule is null ? "a null rule" : $"occasion {(int)rule.Occasion}")}; use AtDonation, AfterDonation, SpringFestival, MidAutumnFestival or WorldMarrowDonorDay.");
            }

            if (rule.DaysAfterDonation is < 0 or > 366 || rule.WindowDays is < 0 or > 90 || rule.Years is < 0 or > 20)
            {
                throw new RegistryValidationException(nameof(Rules), null, "is not allowed", $"The {rule.Occasion} rule has DaysAfterDonation {rule.DaysAfterDonation}, WindowDays {rule.WindowDays}, Years {rule.Years}; allowed are 0-366, 0-90 and 0-20.", $"The {rule.Occasion} rule has DaysAfterDonation {rule.DaysAfterDonation}, WindowDays {rule.WindowDays}, Years {rule.Years}; allowed are 0-366, 0-90 and 0-20.");
            }
        }

        if (VolunteerOccasions is null || VolunteerOccasions.Any(o => o is not (AppreciationOccasion.SpringFestival or AppreciationOccasion.MidAutumnFestival or AppreciationOccasion.WorldMarrowDonorDay)) || VolunteerOccasions.Distinct().Count() != VolunteerOccasions.Count)
        {
            var shown = VolunteerOccasions is null ? null : string.Join(", ", VolunteerOccasions);
            throw new RegistryValidationException(nameof(VolunteerOccasions), shown, VolunteerOccasions is null ? "is missing" : "holds an occasion that is not a festival, or one twice", "use SpringFestival, MidAutumnFestival or WorldMarrowDonorDay, each at most once (an empty list names no volunteers)");
        }

        if (Rules.GroupBy(r => r.Occasion).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new RegistryValidationException(nameof(Rules), null, "is not allowed", $"AppreciationPolicy.Rules has {twice.Count()} rules for {twice.Key}; give one rule per occasion.", $"AppreciationPolicy.Rules has {twice.Count()} rules for {twice.Key}; give one rule per occasion.");
        }
    }
}
