namespace DonorRegistry.Samples;

/// <summary>Thrown when a sample step is not allowed in the sample's state. Nothing is stored.</summary>
public sealed class InvalidSampleTransitionException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="barcode">The sample.</param>
    /// <param name="state">Its state.</param>
    /// <param name="trigger">The refused step.</param>
    /// <param name="permitted">The steps allowed now.</param>
    public InvalidSampleTransitionException(string barcode, SampleState state, SampleTrigger trigger, IReadOnlyList<SampleTrigger> permitted)
        : base($"Sample {barcode} is {state}, where {trigger} is not a valid step. Allowed now: {(permitted.Count == 0 ? "nothing (the sample is done)" : string.Join(", ", permitted))}.")
    {
        Barcode = barcode;
        State = state;
        Trigger = trigger;
        Permitted = permitted;
    }

    /// <summary>The sample.</summary>
    public string Barcode { get; }

    /// <summary>Its state.</summary>
    public SampleState State { get; }

    /// <summary>The refused step.</summary>
    public SampleTrigger Trigger { get; }

    /// <summary>The steps allowed now.</summary>
    public IReadOnlyList<SampleTrigger> Permitted { get; }
}
