using System.Globalization;
using DonorRegistry.Audit;
using DonorRegistry.Storage;

namespace DonorRegistry.Donors;

/// <summary>
/// What the calendar decides for listed donors: deferrals and recovery periods that end, and the leaving age.
/// One write of the pipeline, over the donors whose stored calendar day has come.
/// </summary>
internal sealed class DonorCalendar(RegistryWrites writes, EligibilityPolicy policy)
{
    public IReadOnlyList<CalendarChange> Apply(DateOnly today, string actor) => writes.Pipeline.Write(actor, scope =>
    {
        // Once across instances (ADR 21): another instance applying the calendar holds this until it commits, and the
        // donors due are read after it, so they are read without the ones it changed.
        writes.Storage.HoldAcrossInstances("calendar");
        var changes = new List<CalendarChange>();
        foreach (var loaded in writes.Storage.Donors.FindDueBy(today))
        {
            var donor = loaded.Value;
            var from = donor.State;
            var lifecycle = DonorLifecycle.For(donor, policy, today);
            DonorTrigger trigger;
            string reason;
            Action<Donor> fire;
            if (donor.AgeOn(today) >= policy.LeavingAge)
            {
                (trigger, reason) = (DonorTrigger.Remove, string.Format(CultureInfo.CurrentCulture, AuditReasons.ReachedLeavingAge, policy.LeavingAge));
                fire = _ => lifecycle.Remove(RemovalReason.TooOld, reason);
            }
            else if (lifecycle.CanFire(DonorTrigger.EndDeferral))
            {
                (trigger, reason) = (DonorTrigger.EndDeferral, string.Format(CultureInfo.CurrentCulture, AuditReasons.DeferralEnded, donor.DeferredUntil));
                fire = _ => lifecycle.EndDeferral();
            }
            else if (lifecycle.CanFire(DonorTrigger.EndRecovery))
            {
                (trigger, reason) = (DonorTrigger.EndRecovery, string.Format(CultureInfo.CurrentCulture, AuditReasons.RecoveryEnded, donor.RecoveryUntil));
                fire = _ => lifecycle.EndRecovery();
            }
            else
            {
                continue; // due under an older policy; nothing is due now
            }

            scope.Step(writes.Donor, loaded, trigger.ToString(), trigger == DonorTrigger.Remove ? $"{RemovalReason.TooOld.Code}: {reason}" : reason, fire);
            scope.Save(writes.Donor, loaded);
            changes.Add(new CalendarChange(donor.Id, from, donor.State, trigger, reason));
        }

        return changes;
    });
}
