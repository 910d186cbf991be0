using DonorRegistry.Storage;

namespace DonorRegistry.Audit;

/// <summary>Where a record's audit trail stops holding together: the first version whose seal or place is wrong.</summary>
/// <param name="Kind">The kind of record.</param>
/// <param name="Id">Its id.</param>
/// <param name="Version">The first version that breaks the chain.</param>
/// <param name="Problem">What is wrong there, in words.</param>
internal sealed record AuditChainBreak(AggregateKind Kind, string Id, int Version, string Problem);

/// <summary>
/// Walks every stored audit trail once and checks its chain (<see cref="AuditChain"/>): versions 1, 2, 3… without a
/// gap, each sealed to the one before. It names the first break of each trail and goes on with the next trail.
/// </summary>
internal static class AuditChainCheck
{
    public static IReadOnlyList<AuditChainBreak> Run(IAuditLog log, AuditChain chain)
    {
        var breaks = new List<AuditChainBreak>();
        foreach (var kind in Enum.GetValues<AggregateKind>())
        {
            string? id = null;
            var expected = 0;
            byte[] previous = [];
            var broken = false;
            foreach (var (record, seal) in log.Scan(kind))
            {
                if (record.Id != id)
                {
                    (id, expected, previous, broken) = (record.Id, 1, [], false);
                }
                else
                {
                    expected++;
                }

                if (broken)
                {
                    continue;
                }

                var problem =
                    record.Version != expected ? $"version {expected} is missing from the trail (the next stored is {record.Version})"
                    : seal is null ? "the record carries no chain link (written before audit chains, or straight into the file)"
                    : !chain.Holds(previous, record, seal) ? "its chain link does not match its fields and the record before it: the record was changed, moved or replaced"
                    : null;
                if (problem is not null)
                {
                    breaks.Add(new AuditChainBreak(kind, record.Id, expected, problem));
                    broken = true;
                    continue;
                }

                previous = seal!;
            }
        }

        return breaks;
    }
}
