namespace DonorRegistry.Samples;

/// <summary>Thrown when a sample step is not allowed in the sample's state. Nothing is stored.</summary>
public sealed class InvalidSampleTransitionException : InvalidTransitionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="barcode">The sample.</param>
    /// <param name="state">Its state.</param>
    /// <param name="trigger">The refused step.</param>
    /// <param name="permitted">The steps allowed now.</param>
    public InvalidSampleTransitionException(string barcode, SampleState state, SampleTrigger trigger, IReadOnlyList<SampleTrigger> permitted)
        : base(AggregateKind.Sample, barcode, state.ToString(), trigger.ToString(), permitted.Select(p => p.ToString()).ToList(), [], "the sample is done")
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
