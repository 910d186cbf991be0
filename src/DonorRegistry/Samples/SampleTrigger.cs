namespace DonorRegistry.Samples;

/// <summary>What can happen to a sample; each is a verb on <see cref="SampleOperations"/>.</summary>
public enum SampleTrigger
{
    /// <summary>The sample leaves in a shipment to the lab.</summary>
    Ship = 1,

    /// <summary>The lab received the sample.</summary>
    Receive = 2,

    /// <summary>The lab reported the typing.</summary>
    RecordTyping = 3,

    /// <summary>The sample cannot be typed.</summary>
    Reject = 4,
}
