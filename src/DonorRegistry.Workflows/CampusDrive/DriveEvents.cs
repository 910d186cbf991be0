namespace DonorRegistry.Workflows.CampusDrive;

/// <summary>The events a campus drive waits for, in the order it waits for them; the event key is the drive's code.</summary>
public static class DriveEvents
{
    /// <summary>The drive's first knowledge lecture was held.</summary>
    public const string LectureHeld = "LectureHeld";

    /// <summary>The organizer opened enrolment.</summary>
    public const string EnrolmentOpened = "EnrolmentOpened";

    /// <summary>The organizer closed enrolment: the samples are collected.</summary>
    public const string EnrolmentClosed = "EnrolmentClosed";

    /// <summary>The samples left for the typing lab.</summary>
    public const string ShipmentDispatched = "ShipmentDispatched";

    /// <summary>The lab received the samples.</summary>
    public const string SamplesReceived = "SampleReceived";

    /// <summary>A typing-results file was imported (may happen several times).</summary>
    public const string TypingResultsImported = "TypingResultsImported";

    /// <summary>The order a drive expects them in.</summary>
    public static IReadOnlyList<string> Sequence { get; } =
        [LectureHeld, EnrolmentOpened, EnrolmentClosed, ShipmentDispatched, SamplesReceived, TypingResultsImported];
}
