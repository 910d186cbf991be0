namespace DonorRegistry.Workflows.CampusDrive;

/// <summary>
/// Why a drive's workflow refused a request, without a language (ADR 23): a host says
/// <see cref="DriveWorkflowException.Code"/> with <see cref="DriveWorkflowException.Arguments"/> (named by the
/// constants of <see cref="DriveRefusalArgument"/>) in its own words; the exception's message keeps the English text.
/// Numbers are never reused.
/// </summary>
public enum DriveRefusal
{
    /// <summary>No code: a refusal made by the public constructor; show the message.</summary>
    Unspecified = 0,

    /// <summary>The drive already runs as a workflow; arguments <c>drive</c> and <c>workflow</c>.</summary>
    AlreadyStarted = 1,

    /// <summary>The drive has no workflow; argument <c>drive</c>.</summary>
    NoWorkflow = 2,

    /// <summary>A sample is collected while the drive's enrolment is not open; arguments <c>drive</c> and <c>state</c> (a <c>DriveState</c> name).</summary>
    EnrolmentNotOpen = 3,

    /// <summary>A sample is collected from a donor who enrolled elsewhere; arguments <c>drive</c> and <c>donor</c>.</summary>
    DonorOfAnotherDrive = 4,

    /// <summary>A tube to ship was collected at another drive, or at none; arguments <c>drive</c>, <c>barcode</c> and <c>other</c> (the other drive, empty for none).</summary>
    SampleOfAnotherDrive = 5,

    /// <summary>A tube to ship is not waiting to be shipped; arguments <c>drive</c>, <c>barcode</c>, <c>state</c> (a <c>SampleState</c> name) and <c>shipment</c> (empty for none).</summary>
    SampleNotCollected = 6,

    /// <summary>A tube named as received is not the drive's; arguments <c>drive</c> and <c>barcode</c>.</summary>
    SampleNotOfDrive = 7,

    /// <summary>Typing results come before the shipment was dispatched, or after the drive closed; arguments <c>drive</c> and <c>expected</c> (the next event's name, empty when the drive is closed).</summary>
    ResultsBeforeShipment = 8,

    /// <summary>An event that happens once per drive came again; arguments <c>drive</c>, <c>event</c> and <c>expected</c> (empty when the drive is closed).</summary>
    EventAlreadyHappened = 9,

    /// <summary>An event out of the drive's order; arguments <c>drive</c>, <c>event</c> and <c>expected</c> (empty when the drive is closed).</summary>
    EventOutOfOrder = 10,
}

/// <summary>The names of the values in a <see cref="DriveRefusal"/>'s <see cref="DriveWorkflowException.Arguments"/>.</summary>
public static class DriveRefusalArgument
{
    /// <summary>The drive's id.</summary>
    public const string Drive = "drive";

    /// <summary>The workflow instance's id.</summary>
    public const string Workflow = "workflow";

    /// <summary>A state's name (the drive's or the sample's).</summary>
    public const string State = "state";

    /// <summary>The donor's id.</summary>
    public const string Donor = "donor";

    /// <summary>A tube's barcode.</summary>
    public const string Barcode = "barcode";

    /// <summary>The drive a tube was collected at, empty for none.</summary>
    public const string Other = "other";

    /// <summary>The shipment a tube is in, empty for none.</summary>
    public const string Shipment = "shipment";

    /// <summary>The event the drive expects next (a <see cref="DriveEvents"/> name), empty when the drive is closed.</summary>
    public const string Expected = "expected";

    /// <summary>The event refused (a <see cref="DriveEvents"/> name).</summary>
    public const string Event = "event";
}
