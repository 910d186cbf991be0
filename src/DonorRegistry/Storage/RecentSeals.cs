using DonorRegistry.Audit;

namespace DonorRegistry.Storage;

/// <summary>
/// The seals of recently committed audit records, by record, so the next change of a record seals its audit record
/// without reading the previous one back from the engine. Only committed seals enter; a seal is used only for the
/// version it was made for, so a record another writer changed meanwhile falls back to the stored seal.
/// </summary>
internal sealed class RecentSeals
{
    private const int Capacity = 16_384;
    private readonly Lock _gate = new();
    private readonly Dictionary<(AggregateKind Kind, string Id), (int Version, byte[] Seal)> _seals = [];

    /// <summary>The seal of version <paramref name="version"/> of the record, when it was committed recently.</summary>
    public byte[]? Find(AggregateKind kind, string id, int version)
    {
        lock (_gate)
        {
            return _seals.TryGetValue((kind, id), out var entry) && entry.Version == version ? entry.Seal : null;
        }
    }

    /// <summary>Keeps the seals a write committed (the full set is dropped when it grows past its capacity).</summary>
    public void Committed(IReadOnlyList<SealedAuditRecord> records)
    {
        lock (_gate)
        {
            if (_seals.Count + records.Count > Capacity)
            {
                _seals.Clear();
            }

            foreach (var (record, seal) in records)
            {
                if (seal is not null)
                {
                    _seals[(record.Kind, record.Id)] = (record.Version, seal);
                }
            }
        }
    }
}
