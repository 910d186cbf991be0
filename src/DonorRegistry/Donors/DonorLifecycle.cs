using Stateless;
using Stateless.Graph;

namespace DonorRegistry.Donors;

/// <summary>
/// The whole donor lifecycle of the registry, as one Stateless machine: recruitment, listing,
/// availability, a match reservation, donation, removal and withdrawal. Every state change of a
/// donor goes through it; the diagram (<see cref="ToMermaid"/>, <see cref="ToDot"/>) is drawn from
/// the same definition.
/// </summary>
/// <remarks>
/// <code>
/// Prospect ─Enrol→ Enrolled ─CollectSample→ SampleCollected ─RecordTyping→ Typed ─List→ Available
/// Enrolled ─ScreenOut→ Ineligible ─Rescreen→ Enrolled;  SampleCollected ─RejectSample→ Enrolled
/// Available ⇄ TemporarilyUnavailable (Defer / EndDeferral)
/// Available ─Reserve→ Reserved ─Release→ Available;  Reserved ─RecordDonation→ Donated ─EndRecovery→ Available
/// listed states ─Remove→ Removed ─Reactivate→ Available (where the reason allows)
/// any state ─Withdraw→ Withdrawn (personal data erased)
/// </code>
/// A machine is built around one loaded donor for one operation (Stateless is not thread-safe), with
/// the policy and the day that guards are judged on.
/// </remarks>
public sealed class DonorLifecycle
{
    [ThreadStatic]
    private static DonorLifecycle? t_cached;

    private readonly StateMachine<DonorState, DonorTrigger> _machine;
    private readonly EligibilityPolicy _policy;
    private Donor _donor;
    private DateOnly _today;

    private readonly StateMachine<DonorState, DonorTrigger>.TriggerWithParameters<string> _screenOut;
    private readonly StateMachine<DonorState, DonorTrigger>.TriggerWithParameters<string?> _collectSample;
    private readonly StateMachine<DonorState, DonorTrigger>.TriggerWithParameters<string> _rejectSample;
    private readonly StateMachine<DonorState, DonorTrigger>.TriggerWithParameters<TypingResult> _recordTyping;
    private readonly StateMachine<DonorState, DonorTrigger>.TriggerWithParameters<DateOnly, string> _defer;
    private readonly StateMachine<DonorState, DonorTrigger>.TriggerWithParameters<CaseReference> _reserve;
    private readonly StateMachine<DonorState, DonorTrigger>.TriggerWithParameters<Donation> _recordDonation;
    private readonly StateMachine<DonorState, DonorTrigger>.TriggerWithParameters<RemovalReason, string?> _remove;

    private DonorLifecycle(Donor donor, EligibilityPolicy policy, DateOnly today)
    {
        _donor = donor;
        _policy = policy;
        _today = today;
        _machine = new StateMachine<DonorState, DonorTrigger>(() => _donor.State, s => _donor.State = s);

        _screenOut = _machine.SetTriggerParameters<string>(DonorTrigger.ScreenOut);
        _collectSample = _machine.SetTriggerParameters<string?>(DonorTrigger.CollectSample);
        _rejectSample = _machine.SetTriggerParameters<string>(DonorTrigger.RejectSample);
        _recordTyping = _machine.SetTriggerParameters<TypingResult>(DonorTrigger.RecordTyping);
        _defer = _machine.SetTriggerParameters<DateOnly, string>(DonorTrigger.Defer);
        _reserve = _machine.SetTriggerParameters<CaseReference>(DonorTrigger.Reserve);
        _recordDonation = _machine.SetTriggerParameters<Donation>(DonorTrigger.RecordDonation);
        _remove = _machine.SetTriggerParameters<RemovalReason, string?>(DonorTrigger.Remove);

        Configure();
    }

    /// <summary>The lifecycle of <paramref name="donor"/> on <paramref name="today"/>, on this thread's machine for <paramref name="policy"/>.</summary>
    /// <remarks>The returned object is rebound by the next call on the same thread: use it for one operation only.</remarks>
    internal static DonorLifecycle For(Donor donor, EligibilityPolicy policy, DateOnly today)
    {
        var lifecycle = t_cached;
        if (lifecycle is null || !ReferenceEquals(lifecycle._policy, policy))
        {
            t_cached = lifecycle = new DonorLifecycle(donor, policy, today);
            return lifecycle;
        }

        lifecycle._donor = donor;
        lifecycle._today = today;
        return lifecycle;
    }

    /// <summary>The lifecycle as a Mermaid state diagram, drawn from the machine's definition.</summary>
    /// <param name="policy">The policy whose numbers appear in guard descriptions; the defaults if null.</param>
    /// <returns>Mermaid text.</returns>
    public static string ToMermaid(EligibilityPolicy? policy = null) =>
        MermaidGraph.Format(ForDiagram(policy)._machine.GetInfo());

    /// <summary>The lifecycle as a Graphviz DOT graph, drawn from the machine's definition.</summary>
    /// <param name="policy">The policy whose numbers appear in guard descriptions; the defaults if null.</param>
    /// <returns>DOT text.</returns>
    public static string ToDot(EligibilityPolicy? policy = null) =>
        UmlDotGraph.Format(ForDiagram(policy)._machine.GetInfo());

    private static DonorLifecycle ForDiagram(EligibilityPolicy? policy) =>
        new(new Donor(new DonorId(1), new DonorProfile(Sex.Female, new DateOnly(2000, 1, 1)), default),
            policy ?? new EligibilityPolicy(), new DateOnly(2026, 1, 1));

    private const string RecoveryOverGuard = "recovery period over";

    private const string ReactivationGuard = "removal reason allows reactivation";

    private string JoinAgeGuard => $"aged {_policy.MinimumJoinAge} to {_policy.MaximumJoinAge}";

    private string LeavingAgeGuard => $"younger than the leaving age {_policy.LeavingAge}";

    private Dictionary<string, UnmetGuard>? _coded;

    /// <summary>An unmet guard's words (as Stateless gives them back) with its code and arguments.</summary>
    private UnmetGuard Coded(string text)
    {
        _coded ??= new Dictionary<string, UnmetGuard>(StringComparer.Ordinal)
        {
            [JoinAgeGuard] = new(GuardCode.JoinAge, JoinAgeGuard, new Dictionary<string, string>
            {
                [ValidationArgument.Min] = _policy.MinimumJoinAge.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [ValidationArgument.Max] = _policy.MaximumJoinAge.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }),
            [LeavingAgeGuard] = new(GuardCode.BelowLeavingAge, LeavingAgeGuard, new Dictionary<string, string>
            {
                [ValidationArgument.Max] = _policy.LeavingAge.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }),
            [RecoveryOverGuard] = UnmetGuard.Of(GuardCode.RecoveryOver, RecoveryOverGuard),
            [ReactivationGuard] = UnmetGuard.Of(GuardCode.RemovalAllowsReactivation, ReactivationGuard),
        };
        return _coded.TryGetValue(text, out var guard) ? guard : UnmetGuard.Uncoded(text);
    }

    private List<UnmetGuard> CodedAll(IEnumerable<string>? unmet) => unmet?.Select(Coded).ToList() ?? [];

    private bool InJoinAgeRange()
    {
        var age = _donor.AgeOn(_today);
        return age >= _policy.MinimumJoinAge && age <= _policy.MaximumJoinAge;
    }

    private bool BelowLeavingAge() => _donor.AgeOn(_today) < _policy.LeavingAge;

    private bool RecoveryOver() => _donor.RecoveryUntil is { } until && _today >= until;

    private bool RemovalReasonAllowsReactivation() =>
        _donor.Removal is { } reason && _policy.ReactivatableReasons.Contains(reason);

    private void Configure()
    {
        _machine.Configure(DonorState.Prospect)
            .PermitIf(DonorTrigger.Enrol, DonorState.Enrolled, InJoinAgeRange, JoinAgeGuard);

        _machine.Configure(DonorState.Enrolled)
            .OnEntryFrom(DonorTrigger.Rescreen, () => _donor.ClearIneligibility(), "clear the screening note")
            .OnEntryFrom(_rejectSample, reason => _donor.RejectSample(reason), "note the rejection; a new sample is needed")
            .Permit(DonorTrigger.CollectSample, DonorState.SampleCollected)
            .Permit(DonorTrigger.ScreenOut, DonorState.Ineligible);

        _machine.Configure(DonorState.Ineligible)
            .OnEntryFrom(_screenOut, reason => _donor.MarkIneligible(reason), "note the screening reason")
            .PermitIf(DonorTrigger.Rescreen, DonorState.Enrolled, InJoinAgeRange, JoinAgeGuard);

        _machine.Configure(DonorState.SampleCollected)
            .OnEntryFrom(_collectSample, reference => _donor.CollectSample(reference), "keep the sample reference")
            .Permit(DonorTrigger.RecordTyping, DonorState.Typed)
            .Permit(DonorTrigger.RejectSample, DonorState.Enrolled);

        _machine.Configure(DonorState.Typed)
            .OnEntryFrom(_recordTyping, typing => _donor.RecordTyping(typing), "keep the typing")
            .PermitIf(DonorTrigger.List, DonorState.Available, BelowLeavingAge, LeavingAgeGuard);

        _machine.Configure(DonorState.Available)
            .OnEntry(() => _donor.MakeAvailable(), "clear deferral, reservation, recovery and removal")
            .Permit(DonorTrigger.Defer, DonorState.TemporarilyUnavailable)
            .Permit(DonorTrigger.Reserve, DonorState.Reserved)
            .Permit(DonorTrigger.Remove, DonorState.Removed);

        _machine.Configure(DonorState.TemporarilyUnavailable)
            .OnEntryFrom(_defer, (until, reason) => _donor.Defer(until, reason), "keep the end date and reason")
            .PermitReentry(DonorTrigger.Defer)
            .Permit(DonorTrigger.EndDeferral, DonorState.Available)
            .Permit(DonorTrigger.Remove, DonorState.Removed);

        _machine.Configure(DonorState.Reserved)
            .OnEntryFrom(_reserve, @case => _donor.Reserve(@case), "keep the case reference")
            .Permit(DonorTrigger.Release, DonorState.Available)
            .Permit(DonorTrigger.RecordDonation, DonorState.Donated)
            .Permit(DonorTrigger.Remove, DonorState.Removed);

        _machine.Configure(DonorState.Donated)
            .OnEntryFrom(
                _recordDonation,
                d => _donor.RecordDonation(d, d.CollectedOn.AddMonths(_policy.RecoveryMonths(d.Product))),
                "keep the donation and the end of the recovery period")
            .PermitIf(DonorTrigger.EndRecovery, DonorState.Available, RecoveryOver, RecoveryOverGuard)
            .Permit(DonorTrigger.Defer, DonorState.TemporarilyUnavailable)
            .Permit(DonorTrigger.Remove, DonorState.Removed);

        _machine.Configure(DonorState.Removed)
            .OnEntryFrom(_remove, (reason, note) => _donor.Remove(reason, note, _today), "keep the WMDA reason")
            .PermitIf(
                DonorTrigger.Reactivate,
                DonorState.Available,
                Tuple.Create<Func<bool>, string>(RemovalReasonAllowsReactivation, ReactivationGuard),
                Tuple.Create<Func<bool>, string>(BelowLeavingAge, LeavingAgeGuard));

        _machine.Configure(DonorState.Withdrawn)
            .OnEntry(() => _donor.Erase(_today), "erase personal data, typing and exact birth date");

        // Withdrawal of consent is allowed from every state.
        foreach (var state in Enum.GetValues<DonorState>().Where(s => s != DonorState.Withdrawn))
        {
            _machine.Configure(state).Permit(DonorTrigger.Withdraw, DonorState.Withdrawn);
        }
    }

    internal IReadOnlyList<DonorTrigger> PermittedTriggers() =>
        Enum.GetValues<DonorTrigger>().Where(t => _machine.CanFire(t)).ToList();

    internal IReadOnlyList<PermittedAction> Actions()
    {
        var actions = new List<PermittedAction>();
        foreach (var trigger in Enum.GetValues<DonorTrigger>())
        {
            if (_machine.CanFire(trigger, out var unmet))
            {
                actions.Add(new PermittedAction(trigger, true, []));
            }
            else if (unmet is { Count: > 0 })
            {
                actions.Add(new PermittedAction(trigger, false, unmet.ToList()) { Guards = CodedAll(unmet) });
            }
        }

        return actions;
    }

    internal bool CanFire(DonorTrigger trigger) => _machine.CanFire(trigger);

    /// <summary>Throws <see cref="InvalidDonorTransitionException"/> unless <paramref name="trigger"/> can fire now.</summary>
    internal void EnsureCanFire(DonorTrigger trigger)
    {
        if (!_machine.CanFire(trigger, out var unmet))
        {
            // Stateless gives no unmet-guard list when the state does not know the trigger at all.
            throw new InvalidDonorTransitionException(_donor.Id, _donor.State, trigger, PermittedTriggers(), CodedAll(unmet));
        }
    }

    internal void Enrol() => Fire(DonorTrigger.Enrol);

    /// <summary>
    /// Enrols a new donor (a prospect) as <see cref="Enrol"/> does, without running the machine when its definition
    /// (read once per machine, <see cref="EnrolIsPlainStep"/>) makes the step from Prospect a plain one: to Enrolled,
    /// under the join-age guard alone, with no action on the way; then the guard is judged here, as the machine would.
    /// A donor outside the age range, in another state, or a definition that changed goes through the machine, which
    /// refuses with its own exception. A bulk enrolment takes this step for every donor.
    /// </summary>
    internal void EnrolProspect()
    {
        _enrolIsPlain ??= EnrolIsPlainStep();
        if (_enrolIsPlain == true && _donor.State == DonorState.Prospect && InJoinAgeRange())
        {
            _donor.State = DonorState.Enrolled;
            return;
        }

        Enrol();
    }

    private bool? _enrolIsPlain;

    /// <summary>
    /// Whether the machine's definition takes Enrol from Prospect to Enrolled under the join-age guard alone, with no
    /// exit action of Prospect, no entry action of Enrolled run for Enrol, no other transition or ignore of Enrol from
    /// Prospect, and no superstate or substates on either side.
    /// </summary>
    internal bool EnrolIsPlainStep()
    {
        var info = _machine.GetInfo();
        var prospect = info.States.Single(s => Equals(s.UnderlyingState, DonorState.Prospect));
        var enrol = prospect.Transitions.Where(t => Equals(t.Trigger.UnderlyingTrigger, DonorTrigger.Enrol)).ToList();
        var ignored = prospect.IgnoredTriggers.Any(t => Equals(t.Trigger.UnderlyingTrigger, DonorTrigger.Enrol));
        if (ignored || enrol.Count != 1 || enrol[0] is not Stateless.Reflection.FixedTransitionInfo fixedStep
            || !Equals(fixedStep.DestinationState.UnderlyingState, DonorState.Enrolled)
            || !fixedStep.GuardConditionsMethodDescriptions.Select(g => g.Description).SequenceEqual([JoinAgeGuard]))
        {
            return false;
        }

        var enrolled = fixedStep.DestinationState;
        return !prospect.ExitActions.Any()
               && !enrolled.EntryActions.Any(a => a.FromTrigger is null || a.FromTrigger == nameof(DonorTrigger.Enrol))
               && !enrolled.ActivateActions.Any() && !enrolled.DeactivateActions.Any() && !prospect.DeactivateActions.Any()
               && prospect.Superstate is null && enrolled.Superstate is null && !prospect.Substates.Any() && !enrolled.Substates.Any();
    }

    internal void ScreenOut(string reason) => Fire(DonorTrigger.ScreenOut, () => _machine.Fire(_screenOut, reason));

    internal void Rescreen() => Fire(DonorTrigger.Rescreen);

    internal void CollectSample(string? sampleReference) =>
        Fire(DonorTrigger.CollectSample, () => _machine.Fire(_collectSample, sampleReference));

    internal void RejectSample(string reason) => Fire(DonorTrigger.RejectSample, () => _machine.Fire(_rejectSample, reason));

    internal void RecordTyping(TypingResult typing) => Fire(DonorTrigger.RecordTyping, () => _machine.Fire(_recordTyping, typing));

    internal void List() => Fire(DonorTrigger.List);

    internal void Defer(DateOnly until, string reason) => Fire(DonorTrigger.Defer, () => _machine.Fire(_defer, until, reason));

    internal void EndDeferral() => Fire(DonorTrigger.EndDeferral);

    internal void Reserve(CaseReference @case) => Fire(DonorTrigger.Reserve, () => _machine.Fire(_reserve, @case));

    internal void Release() => Fire(DonorTrigger.Release);

    internal void RecordDonation(Donation donation) => Fire(DonorTrigger.RecordDonation, () => _machine.Fire(_recordDonation, donation));

    internal void EndRecovery() => Fire(DonorTrigger.EndRecovery);

    internal void Remove(RemovalReason reason, string? note) => Fire(DonorTrigger.Remove, () => _machine.Fire(_remove, reason, note));

    internal void Reactivate() => Fire(DonorTrigger.Reactivate);

    internal void Withdraw() => Fire(DonorTrigger.Withdraw);

    private void Fire(DonorTrigger trigger, Action fire)
    {
        EnsureCanFire(trigger);
        fire();
    }

    private void Fire(DonorTrigger trigger)
    {
        EnsureCanFire(trigger);
        _machine.Fire(trigger);
    }
}
