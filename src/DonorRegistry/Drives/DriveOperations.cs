using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using DonorRegistry.Access;
using DonorRegistry.Audit;
using DonorRegistry.Donors;
using DonorRegistry.Samples;
using DonorRegistry.Storage;

namespace DonorRegistry.Drives;

/// <summary>
/// What campus and community organizers do: plan a drive, hold its lectures, open and close enrolment, enrol
/// volunteers through it, list its typed donors, close it, and read its funnel.
/// </summary>
public sealed class DriveOperations
{
    private const int MaxAudience = 100_000;
    private const int MaxTarget = 100_000;
    private const int MaxDays = 366;
    private readonly RegistryWrites _writes;
    private readonly DonorOperations _donors;
    private readonly RegistryOptions _options;
    private readonly TimeProvider _time;

    internal DriveOperations(RegistryWrites writes, DonorOperations donors, RegistryOptions options, TimeProvider time)
    {
        _writes = writes;
        _donors = donors;
        _options = options;
        _time = time;
    }

    /// <summary>Plans a drive.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="by">Who planned it.</param>
    /// <returns>The drive, <see cref="DriveState.Planned"/>.</returns>
    /// <exception cref="RegistryValidationException">A field is blank, too long or out of range, or the code is already used.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Drive Plan(DrivePlan plan, Actor by)
    {
        Guard.NotNull(plan, nameof(plan), "give the drive's plan");
        plan = Validate(plan);
        var today = _options.DayOf(_time.GetUtcNow());
        Guard.InRange(plan.StartsOn, "Drive.StartsOn", Guard.MinDay, Guard.YearsAfter(today, MaxYearsAhead), $"plan a drive at most {MaxYearsAhead} years ahead");
        return _writes.Write(by, RegistryAction.PlanDrive, scope =>
        {
            if (Store.Find(plan.Id) is { } existing)
            {
                throw new RegistryValidationException("Drive.Id", plan.Id.Value, $"is already used by drive '{existing.Value.Plan.Name}'", "give each drive its own code", ValidationCode.Duplicate);
            }

            return scope.Create(_writes.Drive, new Drive(plan, scope.Now), "Plan", plan.Name);
        });
    }

    /// <summary>Opens the enrolment window: volunteers may enrol through the drive from now.</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="by">Who opened it.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The drive as stored.</returns>
    /// <exception cref="UnknownDriveException">No such drive.</exception>
    /// <exception cref="InvalidDriveTransitionException">The drive is not <see cref="DriveState.Planned"/>.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Drive OpenEnrolment(DriveId drive, Actor by, int? expectedVersion = null) => Change(drive, DriveTrigger.OpenEnrolment, RegistryAction.OpenDriveEnrolment, by, null, expectedVersion);

    /// <summary>Closes the enrolment window; the drive waits for the lab's results.</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="by">Who closed it.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The drive as stored.</returns>
    /// <exception cref="UnknownDriveException">No such drive.</exception>
    /// <exception cref="InvalidDriveTransitionException">Enrolment is not open.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Drive CloseEnrolment(DriveId drive, Actor by, int? expectedVersion = null) => Change(drive, DriveTrigger.CloseEnrolment, RegistryAction.CloseDriveEnrolment, by, null, expectedVersion);

    /// <summary>Closes the drive; its statistics are final from now.</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="by">Who closed it.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The drive as stored.</returns>
    /// <exception cref="UnknownDriveException">No such drive.</exception>
    /// <exception cref="InvalidDriveTransitionException">The drive is not waiting for results.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Drive Close(DriveId drive, Actor by, int? expectedVersion = null) => Change(drive, DriveTrigger.Close, RegistryAction.CloseDrive, by, null, expectedVersion);

    /// <summary>Calls off a drive before its enrolment opened.</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="reason">Why.</param>
    /// <param name="by">Who cancelled it.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The drive as stored.</returns>
    /// <exception cref="UnknownDriveException">No such drive.</exception>
    /// <exception cref="InvalidDriveTransitionException">The drive is no longer <see cref="DriveState.Planned"/>.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Drive Cancel(DriveId drive, string reason, Actor by, int? expectedVersion = null) => Change(drive, DriveTrigger.Cancel, RegistryAction.CancelDrive, by, Guard.Text(reason, nameof(reason)), expectedVersion);

    /// <summary>Records a knowledge lecture, for a drive or on its own.</summary>
    /// <param name="drive">The drive it was part of, or null.</param>
    /// <param name="venue">Where (1 to 200 characters).</param>
    /// <param name="heldOn">The day: today or earlier.</param>
    /// <param name="audience">How many attended: 1 to 100,000.</param>
    /// <param name="speaker">Who spoke (1 to 200 characters).</param>
    /// <param name="by">Who records it.</param>
    /// <returns>The lecture with its number.</returns>
    /// <exception cref="RegistryValidationException">A value is blank, out of range or in the future.</exception>
    /// <exception cref="UnknownDriveException">No such drive.</exception>
    /// <exception cref="InvalidDriveTransitionException">The drive is closed or cancelled.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Lecture RecordLecture(DriveId? drive, string venue, DateOnly heldOn, int audience, string speaker, Actor by)
    {
        var place = Guard.Name(venue, "Lecture.Venue");
        var who = Guard.Name(speaker, "Lecture.Speaker");
        if (audience is < 1 or > MaxAudience)
        {
            throw new RegistryValidationException("Lecture.Audience", audience.ToString(CultureInfo.InvariantCulture), "is out of range", $"give the number who attended, 1 to {MaxAudience:N0}", ValidationCode.OutOfRange, Guard.Args((ValidationArgument.Min, 1), (ValidationArgument.Max, MaxAudience)));
        }

        var today = _options.DayOf(_time.GetUtcNow());
        Guard.NotAfterToday(heldOn, today, "Lecture.HeldOn", "record a lecture once it has been held");

        return _writes.Write(by, RegistryAction.RecordLecture, scope =>
        {
            if (drive is { } id)
            {
                var current = Load(id);
                if (current.State is DriveState.Closed or DriveState.Cancelled)
                {
                    throw new InvalidDriveTransitionException(id, current.State, "RecordLecture", new DriveLifecycle(current).Permitted(), UnmetGuard.Of(GuardCode.LectureWhileDriveRuns, "lectures are recorded while the drive is planned, open or awaiting results"));
                }
            }

            var lecture = new Lecture("LEC-" + _writes.Storage.Next(Sequence.Lecture).ToString("D8", CultureInfo.InvariantCulture), drive, place, heldOn, audience, who, scope.Actor);
            Store.InsertLecture(lecture);
            return lecture;
        });
    }

    /// <summary>Enrols a volunteer through a drive whose enrolment is open; the donor's profile names the drive.</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="request">The enrolment, whose profile names this drive or none.</param>
    /// <param name="by">Who enrolled the volunteer.</param>
    /// <returns>The donor, <see cref="DonorState.Enrolled"/>.</returns>
    /// <exception cref="UnknownDriveException">No such drive.</exception>
    /// <exception cref="InvalidDriveTransitionException">Enrolment is not open.</exception>
    /// <exception cref="RegistryValidationException">The profile names another drive, or a field is invalid.</exception>
    /// <exception cref="DuplicateDonorException">The person is already in the registry.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Donor Enrol(DriveId drive, EnrolmentRequest request, Actor by) => EnrolMany(drive, [request], by)[0];

    /// <summary>Enrols volunteers through a drive whose enrolment is open: all of them, or (if any is refused) none.</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="requests">The enrolments, whose profiles name this drive or none.</param>
    /// <param name="by">Who enrolled them.</param>
    /// <returns>The donors, in request order.</returns>
    /// <exception cref="UnknownDriveException">No such drive.</exception>
    /// <exception cref="InvalidDriveTransitionException">Enrolment is not open.</exception>
    /// <exception cref="RegistryValidationException">A profile names another drive, or a field is invalid.</exception>
    /// <exception cref="DuplicateDonorException">A person is already in the registry.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public IReadOnlyList<Donor> EnrolMany(DriveId drive, IReadOnlyList<EnrolmentRequest> requests, Actor by)
    {
        Guard.NotNull(requests, nameof(requests), "give a list of enrolment requests");
        var current = Get(drive);
        if (current.State != DriveState.EnrolmentOpen)
        {
            throw new InvalidDriveTransitionException(drive, current.State, "Enrol", new DriveLifecycle(current).Permitted(), UnmetGuard.Of(GuardCode.DriveEnrolmentOpen, "volunteers enrol only while the drive's enrolment is open"));
        }

        var tagged = requests.Select(r =>
        {
            Guard.NotNull(r, nameof(requests), "give an enrolment request for every volunteer");
            if (r.Profile?.Drive is { } named && named != drive)
            {
                throw new RegistryValidationException("Profile.Drive", named.Value, $"differs from the drive enrolling the volunteer ({drive})", "leave it empty or name the same drive");
            }

            return r.Profile is null ? r : r with { Profile = r.Profile with { Drive = drive } };
        }).ToList();
        return _donors.EnrolMany(tagged, by);
    }

    /// <summary>Lists every typed donor of the drive as searchable; donors past the leaving age stay typed. Safe to repeat.</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="by">Who lists them.</param>
    /// <returns>The donors listed now.</returns>
    /// <exception cref="UnknownDriveException">No such drive.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public IReadOnlyList<Donor> ListTypedDonors(DriveId drive, Actor by)
    {
        Get(drive);
        _writes.Access.Check(by, RegistryAction.ListTypedDonors, AggregateKind.Drive, drive.Value);
        var typed = _writes.Storage.Donors.FindByDriveAndState(drive, DonorState.Typed);
        var listed = new List<Donor>();
        foreach (var donor in typed)
        {
            if (_donors.GetPermittedActions(donor.Id).Any(a => a.Trigger == DonorTrigger.List && a.IsAllowed))
            {
                listed.Add(_donors.List(donor.Id, by));
            }
        }

        return listed;
    }

    /// <summary>Gets a drive.</summary>
    /// <param name="drive">The drive's code.</param>
    /// <returns>The drive.</returns>
    /// <exception cref="UnknownDriveException">No such drive.</exception>
    public Drive Get(DriveId drive) => TryGet(drive, out var found) ? found : throw new UnknownDriveException(drive);

    /// <summary>Gets a drive, if the registry holds it.</summary>
    /// <param name="drive">The drive's code.</param>
    /// <param name="found">The drive, when found.</param>
    /// <returns>Whether it was found.</returns>
    public bool TryGet(DriveId drive, [NotNullWhen(true)] out Drive? found)
    {
        found = Store.Find(drive)?.Value;
        return found is not null;
    }

    /// <summary>Every drive, by first day.</summary>
    /// <returns>The drives.</returns>
    public IReadOnlyList<Drive> FindAll() => Store.FindAll();

    /// <summary>The lectures of a drive, by day.</summary>
    /// <param name="drive">The drive.</param>
    /// <returns>The lectures.</returns>
    public IReadOnlyList<Lecture> FindLectures(DriveId drive) => drive.Value is null ? [] : Store.FindLectures(drive);

    /// <summary>Every lecture held in a period (both days included), with or without a drive, by day.</summary>
    /// <param name="from">The first day.</param>
    /// <param name="to">The last day.</param>
    /// <returns>The lectures.</returns>
    /// <exception cref="RegistryValidationException"><paramref name="to"/> is before <paramref name="from"/>.</exception>
    public IReadOnlyList<Lecture> FindLectures(DateOnly from, DateOnly to)
    {
        Guard.Period(from, to);
        return Store.FindLectures(from, to);
    }

    /// <summary>The drive's audit trail, oldest first.</summary>
    /// <param name="drive">The drive.</param>
    /// <returns>The records.</returns>
    /// <exception cref="UnknownDriveException">No such drive.</exception>
    public IReadOnlyList<AuditRecord> GetHistory(DriveId drive) => _writes.History(_writes.Drive, drive);

    /// <summary>The drive's funnel as the registry holds it now.</summary>
    /// <param name="drive">The drive.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="UnknownDriveException">No such drive.</exception>
    public DriveStatistics GetStatistics(DriveId drive)
    {
        var plan = Get(drive).Plan;
        var lectures = FindLectures(drive);
        var samples = _writes.Storage.Samples.FindByDrive(drive);
        var (enrolled, listed) = _writes.Storage.Donors.CountByDrive(drive);
        return new DriveStatistics(
            drive,
            lectures.Count,
            lectures.Sum(l => l.Audience),
            enrolled,
            samples.Count,
            samples.Select(s => s.DonorId).Distinct().Count(),
            samples.Count(s => s.State == SampleState.Rejected),
            samples.Where(s => s.State == SampleState.Typed).Select(s => s.DonorId).Distinct().Count(),
            listed)
        {
            Plan = plan,
        };
    }

    private IDriveStore Store => _writes.Storage.Drives;

    private Drive Load(DriveId drive) => Store.Find(drive)?.Value ?? throw new UnknownDriveException(drive);

    private Drive Change(DriveId drive, DriveTrigger trigger, RegistryAction action, Actor by, string? reason, int? expectedVersion) =>
        _writes.Write(by, action, scope => scope.Change(_writes.Drive, drive, expectedVersion, trigger.ToString(), reason, d => new DriveLifecycle(d).Fire(trigger)));

    private const int MaxYearsAhead = 10;

    /// <summary>Checks a plan; returns it with its names in Unicode normalization form C, as stored.</summary>
    private static DrivePlan Validate(DrivePlan plan)
    {
        if (plan.Id.Value is null)
        {
            throw new RegistryValidationException("Drive.Id", null, "is missing", "give the drive a code such as PKU-2026-03", ValidationCode.Required);
        }

        plan = plan with { Name = Guard.Name(plan.Name, "Drive.Name"), Organizer = Guard.Name(plan.Organizer, "Drive.Organizer"), Venue = Guard.Name(plan.Venue, "Drive.Venue") };
        if (!Enum.IsDefined(plan.Kind))
        {
            throw new RegistryValidationException("Drive.Kind", ((int)plan.Kind).ToString(CultureInfo.InvariantCulture), "is not a drive kind", "use Campus or Community", ValidationCode.NotOneOf, Guard.Args((ValidationArgument.Allowed, "Campus, Community")));
        }

        if (plan.EndsOn < plan.StartsOn || plan.EndsOn.DayNumber - plan.StartsOn.DayNumber >= MaxDays)
        {
            throw new RegistryValidationException("Drive.EndsOn", plan.EndsOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), $"does not fit the first day ({plan.StartsOn:yyyy-MM-dd})", $"end on or after the first day and within {MaxDays} days of it", ValidationCode.EndBeforeStart);
        }

        if (plan.Target is < 1 or > MaxTarget)
        {
            throw new RegistryValidationException("Drive.Target", plan.Target.ToString(CultureInfo.InvariantCulture), "is out of range", $"give 1 to {MaxTarget:N0} volunteers", ValidationCode.OutOfRange, Guard.Args((ValidationArgument.Min, 1), (ValidationArgument.Max, MaxTarget)));
        }

        return plan;
    }
}
