using System.Globalization;
using DonorRegistry.Access;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Storage;

namespace DonorRegistry.Care;

/// <content>
/// Care for volunteers, not only donors: outstanding drive volunteers (organizers' helpers) named for festival visits
/// under the appreciation policy (<see cref="AppreciationPolicy.VolunteerOccasions"/>). They are recorded apart from
/// donors, in records of their own (<see cref="AggregateKind.Volunteer"/>), and no donor figure counts them.
/// </content>
public sealed partial class CareOperations
{
    /// <summary>
    /// Names an outstanding drive volunteer for festival visits: the next day of each of the policy's volunteer occasions
    /// after <paramref name="namedOn"/> becomes a visit due.
    /// </summary>
    /// <param name="name">The volunteer's name as the branch publishes it: 1 to 200 printable characters.</param>
    /// <param name="drive">The drive they helped, or null.</param>
    /// <param name="reason">Why they are named: 1 to 500 characters.</param>
    /// <param name="namedOn">The day they are named: not in the future.</param>
    /// <param name="by">Who names them.</param>
    /// <returns>The volunteer honour, with its visits.</returns>
    /// <exception cref="RegistryValidationException">The name or reason is blank, too long or with control characters, or the day in the future.</exception>
    /// <exception cref="UnknownDriveException">The drive is not in the registry.</exception>
    /// <exception cref="CareRuleException">The policy names no occasions for volunteers.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public VolunteerHonour NameOutstandingVolunteer(string name, DriveId? drive, string reason, DateOnly namedOn, Actor by)
    {
        var who = Guard.Name(name, nameof(name));
        var why = Guard.Text(reason, nameof(reason));
        NotFuture(namedOn, "VolunteerHonour.NamedOn", Today());
        if (_policy.Appreciation.VolunteerOccasions.Count == 0)
        {
            throw new CareRuleException("appreciation policy", "The appreciation policy names no occasions for volunteers (AppreciationPolicy.VolunteerOccasions is empty); add SpringFestival or MidAutumnFestival to name volunteers for festival visits.");
        }

        return _writes.Write(by, RegistryAction.NameOutstandingVolunteer, scope =>
        {
            if (drive is { } d && _writes.Storage.Drives.Find(d) is null)
            {
                throw new UnknownDriveException(d);
            }

            var id = "VOL-" + _writes.Storage.Next(Sequence.Volunteer).ToString("D8", CultureInfo.InvariantCulture);
            var honour = new VolunteerHonour(id, who, drive, why, namedOn, VolunteerVisits(namedOn), scope.Now, 1);
            return scope.Create(_writes.Volunteer, honour, "NameVolunteer", $"{(drive is { } helped ? helped.Value + ": " : string.Empty)}{why}");
        });
    }

    /// <summary>Records a festival visit to a volunteer.</summary>
    /// <param name="honour">The volunteer honour's number (VOL-00000001).</param>
    /// <param name="visit">The visit's key, as <see cref="VolunteerHonour.Visits"/> lists it (SpringFestival-2023).</param>
    /// <param name="visitedOn">The day of the visit: on or after the day named, not in the future.</param>
    /// <param name="gifts">What was given, if anything.</param>
    /// <param name="by">Who visited.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The volunteer honour.</returns>
    /// <exception cref="RegistryValidationException">The key is blank, the day in the future, or the gifts too long or with control characters.</exception>
    /// <exception cref="VolunteerHonourNotFoundException">No such volunteer honour.</exception>
    /// <exception cref="CareRuleException">The key is not one of its visits, the visit is already recorded or skipped, or the day is before the day named.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public VolunteerHonour RecordVolunteerVisit(string honour, string visit, DateOnly visitedOn, string? gifts, Actor by, int? expectedVersion = null)
    {
        NotFuture(visitedOn, "Visit.On", Today());
        var given = gifts is null ? null : Guard.Text(gifts, nameof(gifts));
        return ChangeVolunteerVisit(honour, visit, by, expectedVersion, "RecordVisit", $"{visit} on {visitedOn:yyyy-MM-dd}", (h, v) =>
        {
            if (visitedOn < h.NamedOn)
            {
                throw new CareRuleException("visit", $"The visit {visit} of {h.Id} is on {visitedOn:yyyy-MM-dd}, before the volunteer was named ({h.NamedOn:yyyy-MM-dd}).");
            }

            return v with { State = VisitState.Visited, On = visitedOn, By = Guard.Actor(by), Gifts = given };
        });
    }

    /// <summary>Records that a festival visit to a volunteer was not made, and why.</summary>
    /// <param name="honour">The volunteer honour's number.</param>
    /// <param name="visit">The visit's key.</param>
    /// <param name="reason">Why: 1 to 500 characters.</param>
    /// <param name="by">Who records it.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The volunteer honour.</returns>
    /// <exception cref="RegistryValidationException">The key or reason is blank, or the reason too long or with control characters.</exception>
    /// <exception cref="VolunteerHonourNotFoundException">No such volunteer honour.</exception>
    /// <exception cref="CareRuleException">The key is not one of its visits, or the visit is already recorded or skipped.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public VolunteerHonour SkipVolunteerVisit(string honour, string visit, string reason, Actor by, int? expectedVersion = null)
    {
        var text = Guard.Text(reason, nameof(reason));
        var today = Today();
        return ChangeVolunteerVisit(honour, visit, by, expectedVersion, "SkipVisit", $"{visit}: {text}", (_, v) => v with { State = VisitState.Skipped, On = today, By = Guard.Actor(by), Notes = text });
    }

    /// <summary>A volunteer honour by its number.</summary>
    /// <param name="honour">The number (VOL-00000001).</param>
    /// <returns>The volunteer honour.</returns>
    /// <exception cref="VolunteerHonourNotFoundException">No such volunteer honour.</exception>
    public VolunteerHonour GetVolunteerHonour(string honour) =>
        _writes.Storage.Volunteers.Find(honour ?? string.Empty)?.Value ?? throw new VolunteerHonourNotFoundException(honour ?? string.Empty);

    /// <summary>The volunteers named between two days, by day and number: a list of their own, never mixed with donors.</summary>
    /// <param name="from">The first day.</param>
    /// <param name="to">The last day, on or after <paramref name="from"/>.</param>
    /// <returns>The volunteer honours.</returns>
    /// <exception cref="RegistryValidationException"><paramref name="to"/> is before <paramref name="from"/>.</exception>
    public IReadOnlyList<VolunteerHonour> FindVolunteerHonours(DateOnly from, DateOnly to)
    {
        Guard.Period(from, to);
        return _writes.Storage.Volunteers.FindNamedBetween(from, to);
    }

    private VolunteerHonour ChangeVolunteerVisit(string honour, string visit, Actor by, int? expectedVersion, string action, string detail, Func<VolunteerHonour, AppreciationVisit, AppreciationVisit> change)
    {
        if (string.IsNullOrWhiteSpace(visit))
        {
            throw new RegistryValidationException(nameof(visit), visit, "is blank", "give the visit's key, as VolunteerHonour.Visits lists it", ValidationCode.Required);
        }

        return _writes.Write(by, action == "SkipVisit" ? RegistryAction.SkipVolunteerVisit : RegistryAction.RecordVolunteerVisit, scope => scope.Replace(_writes.Volunteer, scope.Load(_writes.Volunteer, honour ?? string.Empty, expectedVersion), action, detail, h =>
        {
            var index = IndexOf(h.Visits, v => v.Key == visit) ?? throw new CareRuleException("visit", $"{h.Id} has no visit '{Guard.Prefix(visit)}'; its visits are {string.Join(", ", h.Visits.Select(v => v.Key))}.");
            var current = h.Visits[index];
            if (current.State != VisitState.Due)
            {
                throw new CareRuleException("visit", $"The visit {visit} of {h.Id} is already {current.State}{(current.On is { } on ? $" on {on:yyyy-MM-dd}" : string.Empty)}.");
            }

            var visits = h.Visits.ToList();
            visits[index] = change(h, current);
            return h with { Visits = visits };
        }));
    }

    // The next day of each volunteer occasion after the day named, on time for the donors' window of the same occasion (else 7 days).
    private List<AppreciationVisit> VolunteerVisits(DateOnly namedOn)
    {
        var visits = new List<AppreciationVisit>();
        foreach (var occasion in _policy.Appreciation.VolunteerOccasions)
        {
            var window = _policy.Appreciation.Rules.FirstOrDefault(r => r.Occasion == occasion)?.WindowDays ?? 7;
            for (var year = namedOn.Year; year <= namedOn.Year + 1; year++)
            {
                if (ObservanceCalendar.DayOf(occasion, year) is { } day && day > namedOn)
                {
                    visits.Add(new AppreciationVisit($"{occasion}-{year}", occasion, day, day.AddDays(window)));
                    break;
                }
            }
        }

        return visits.OrderBy(v => v.DueOn).ThenBy(v => v.Occasion).ToList();
    }
}
