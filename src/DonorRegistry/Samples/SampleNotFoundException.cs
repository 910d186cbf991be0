namespace DonorRegistry.Samples;

/// <summary>Thrown when a barcode names no sample in the registry.</summary>
public sealed class SampleNotFoundException : NotFoundException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="barcode">The barcode that was not found.</param>
    public SampleNotFoundException(string barcode)
        : base(AggregateKind.Sample, barcode, $"No sample with barcode '{Guard.Prefix(barcode)}' is in this registry. Check the tube label, or record its collection first.")
    {
        Barcode = barcode;
    }

    /// <summary>The barcode that was not found.</summary>
    public string Barcode { get; }
}
