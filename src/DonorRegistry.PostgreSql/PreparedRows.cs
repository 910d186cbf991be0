using DonorRegistry.Storage;

namespace DonorRegistry.PostgreSql;

/// <summary>
/// Records made ready for PostgreSQL: the records themselves, which the binary COPY encodes as it streams them
/// (a COPY cannot start before the write's connection is free, so nothing is gained by encoding them earlier).
/// </summary>
internal sealed class PreparedRows<T>(IReadOnlyList<T> records) : PreparedRecords
{
    public override int Count => records.Count;

    public static IReadOnlyList<T> Of(PreparedRecords prepared) =>
        prepared is PreparedRows<T> rows
            ? rows.Records
            : throw new ArgumentException("The records were made ready by another engine (an internal error).", nameof(prepared));

    private IReadOnlyList<T> Records => records;
}
