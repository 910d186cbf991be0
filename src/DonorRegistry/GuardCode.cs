namespace DonorRegistry;

/// <summary>
/// Which condition of a lifecycle step is not met, without a language (ADR 23): <see cref="UnmetGuard.Code"/> with
/// its <see cref="UnmetGuard.Arguments"/> (named by the constants of <see cref="ValidationArgument"/>), for a host to
/// say why a step is refused or greyed out in its own words. Numbers are never reused.
/// </summary>
public enum GuardCode
{
    /// <summary>No code: a condition the library has not coded; show <see cref="UnmetGuard.Text"/>.</summary>
    Unspecified = 0,

    /// <summary>The donor is aged within the join range (enrol, rescreen); arguments <c>min</c> and <c>max</c> (years).</summary>
    JoinAge = 1,

    /// <summary>The donor is younger than the leaving age (list, reactivate); argument <c>max</c> (the leaving age in years).</summary>
    BelowLeavingAge = 2,

    /// <summary>The donor's recovery period after a donation is over (end recovery).</summary>
    RecoveryOver = 3,

    /// <summary>The donor's removal reason allows reactivation (reactivate).</summary>
    RemovalAllowsReactivation = 4,

    /// <summary>A drive records lectures while it is planned, open or awaiting results.</summary>
    LectureWhileDriveRuns = 5,

    /// <summary>A drive enrols volunteers while its enrolment is open.</summary>
    DriveEnrolmentOpen = 6,
}

/// <summary>A condition of a lifecycle step that is not met: its code for a host, its English words for logs.</summary>
/// <param name="Code">Which condition.</param>
/// <param name="Text">The library's English words (as <see cref="InvalidTransitionException.UnmetGuards"/> and <see cref="Donors.PermittedAction.BlockedBecause"/> give them).</param>
/// <param name="Arguments">The values a translated message needs, by the names of <see cref="ValidationArgument"/>; empty when there are none.</param>
public sealed record UnmetGuard(GuardCode Code, string Text, IReadOnlyDictionary<string, string> Arguments)
{
    private static readonly IReadOnlyDictionary<string, string> NoArguments = new Dictionary<string, string>();

    /// <summary>A condition known only by its words (<see cref="GuardCode.Unspecified"/>).</summary>
    /// <param name="text">The words.</param>
    /// <returns>The condition.</returns>
    public static UnmetGuard Uncoded(string text) => new(GuardCode.Unspecified, text, NoArguments);

    internal static UnmetGuard Of(GuardCode code, string text) => new(code, text, NoArguments);

    /// <summary>The English words.</summary>
    /// <returns><see cref="Text"/>.</returns>
    public override string ToString() => Text;
}
