namespace DonorRegistry.Donors;

/// <summary>One trigger in a multi-step change of a donor: fires on the lifecycle and says whether it fired.</summary>
/// <param name="Trigger">The trigger, for the audit record.</param>
/// <param name="Reason">The audit record's reason.</param>
/// <param name="Fire">Fires the trigger and returns true, or returns false to skip it.</param>
internal readonly record struct DonorStep(DonorTrigger Trigger, string? Reason, Func<DonorLifecycle, Donor, bool> Fire);
