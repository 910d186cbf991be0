namespace DonorRegistry.Workflows.Persistence;

/// <summary>
/// What an entry of the execution log says, without a language (ADR 23's idea for the log): a host shows
/// <see cref="StepRun.Code"/> with <see cref="StepRun.Arguments"/> in its own words, and <see cref="StepRun.Detail"/>
/// keeps the English text for logs and for hosts that show it. Numbers are never reused.
/// </summary>
public enum LogCode
{
    /// <summary>No code: an entry written before codes, or one not coded yet; show <see cref="StepRun.Detail"/>.</summary>
    Unspecified = 0,

    /// <summary>
    /// A drive's collected samples are not shipped in time; arguments <c>count</c>, <c>drive</c>, <c>within</c> (a
    /// duration, invariant <c>c</c> format) and <c>lab</c>.
    /// </summary>
    ShippingReminder = 1,

    /// <summary>
    /// A shipment's samples have no results in time; arguments <c>shipment</c>, <c>count</c>, <c>within</c>,
    /// <c>barcodes</c> (the first ten, comma-separated), <c>states</c> (their <c>SampleState</c> names, in the same
    /// order) and <c>more</c> (how many are not named).
    /// </summary>
    ShipmentOverdue = 2,

    /// <summary>
    /// A drive closed, with its funnel; arguments <c>drive</c>, <c>lectures</c>, <c>attendees</c>, <c>enrolled</c>,
    /// <c>samples</c>, <c>donorsSampled</c>, <c>samplesRejected</c>, <c>donorsTyped</c> and <c>donorsListed</c>.
    /// </summary>
    DriveClosed = 3,

    /// <summary>A step run that now waits for an event; arguments <c>event</c> and <c>key</c>.</summary>
    WaitingForEvent = 4,

    /// <summary>A step run that sleeps; argument <c>for</c> (a duration, invariant <c>c</c> format).</summary>
    SleepingFor = 5,

    /// <summary>A step run that runs again later (loops, schedules).</summary>
    RunsAgainLater = 6,

    /// <summary>A step run that threw; argument <c>error</c> (the exception's type name). The message is in <see cref="StepRun.Detail"/>.</summary>
    StepFailed = 7,
}
