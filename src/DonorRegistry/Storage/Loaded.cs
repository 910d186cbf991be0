namespace DonorRegistry.Storage;

/// <summary>
/// A record as an engine loaded it, with the engine's own handle on the stored row (a LiteDB document, a row
/// version): hand it back to the store to update the same row without reading it again.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="value">The record.</param>
/// <param name="token">The engine's handle; opaque outside the engine.</param>
internal sealed class Loaded<T>(T value, object? token)
    where T : class
{
    /// <summary>The record; a change may replace it (immutable records).</summary>
    public T Value { get; set; } = value;

    /// <summary>The engine's handle on the stored row.</summary>
    public object? Token { get; } = token;
}
