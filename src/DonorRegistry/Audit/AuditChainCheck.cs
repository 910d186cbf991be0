using DonorRegistry.Storage;

namespace DonorRegistry.Audit;

/// <summary>Where a record's audit trail stops holding together: the first version whose seal or place is wrong.</summary>
/// <param name="Kind">The kind of record.</param>
/// <param name="Id">Its id.</param>
/// <param name="Version">The first version that breaks the chain.</param>
/// <param name="Problem">What is wrong there, in words.</param>
internal sealed record AuditChainBreak(AggregateKind Kind, string Id, int Version, string Problem);

/// <summary>
/// Checks audit trails' chains (<see cref="AuditChain"/>) as their records go by, each trail's records together and
/// oldest first (the order <see cref="IAuditLog.Scan"/> gives): versions 1, 2, 3… without a gap, each sealed to the
/// one before. It names the first break of each trail and goes on with the next trail. A reader that already walks
/// every audit record (the verifier) feeds it in the same pass.
/// </summary>
internal sealed class AuditChainCheck(AuditChain chain)
{
    private readonly List<AuditChainBreak> _breaks = [];
    private (AggregateKind Kind, string? Id) _trail;
    private int _expected;
    private byte[] _previous = [];
    private bool _broken;

    /// <summary>The breaks found so far, one per broken trail.</summary>
    public IReadOnlyList<AuditChainBreak> Breaks => _breaks;

    /// <summary>Every stored trail of every kind, checked in one walk of the audit log.</summary>
    public static IReadOnlyList<AuditChainBreak> Run(IAuditLog log, AuditChain chain)
    {
        var check = new AuditChainCheck(chain);
        foreach (var kind in Enum.GetValues<AggregateKind>())
        {
            foreach (var (record, seal) in log.Scan(kind))
            {
                check.Next(record, seal);
            }
        }

        return check.Breaks;
    }

    /// <summary>The next audit record, with the link the engine stored beside it.</summary>
    public void Next(AuditRecord record, byte[]? seal)
    {
        if ((record.Kind, record.Id) != _trail)
        {
            (_trail, _expected, _previous, _broken) = ((record.Kind, record.Id), 1, [], false);
        }
        else
        {
            _expected++;
        }

        if (_broken)
        {
            return;
        }

        var problem =
            record.Version != _expected ? $"version {_expected} is missing from the trail (the next stored is {record.Version})"
            : seal is null ? "the record carries no chain link (written before audit chains, or straight into the file)"
            : !chain.Holds(_previous, record, seal) ? "its chain link does not match its fields and the record before it: the record was changed, moved or replaced"
            : null;
        if (problem is not null)
        {
            _breaks.Add(new AuditChainBreak(record.Kind, record.Id, _expected, problem));
            _broken = true;
            return;
        }

        _previous = seal!;
    }
}
