using DonorRegistry.Donors;
using DonorRegistry.Storage;

namespace DonorRegistry.Access;

/// <summary>
/// The access log: every refused attempt (<see cref="AccessDeniedException"/>) and every read of a donor's personal data,
/// who, what, when and why. Kept apart from the records' audit trails (<see cref="Registry.GetHistory"/>), which hold
/// stored changes only; show both for a donor's whole trail. Reading it needs <see cref="RegistryAction.ReadAccessLog"/>.
/// </summary>
public sealed class AccessOperations
{
    private readonly IRegistryStorage _storage;
    private readonly AccessControl _access;

    internal AccessOperations(IRegistryStorage storage, AccessControl access)
    {
        _storage = storage;
        _access = access;
    }

    /// <summary>The policy this registry checks (<see cref="RegistryOptions.Permissions"/> as it was at open).</summary>
    public PermissionPolicy Policy => _access.Policy;

    /// <summary>The entries that match a query, newest first: by actor, by record, by period, or any of them together.</summary>
    /// <param name="query">What to read; <c>new AccessQuery()</c> reads the newest 1,000 entries.</param>
    /// <param name="by">Who reads the log.</param>
    /// <returns>The entries, newest first.</returns>
    /// <exception cref="RegistryValidationException">The query is missing, its limit is out of range, its period is reversed, or only one of kind and id is given.</exception>
    /// <exception cref="AccessDeniedException">The actor may not read the access log.</exception>
    public IReadOnlyList<AccessRecord> History(AccessQuery query, Actor by)
    {
        Guard.NotNull(query, nameof(query), "give a query (new AccessQuery() for the newest entries)");
        Guard.Page(0, query.Limit);
        if (query.From is { } from && query.Until is { } until && from > until)
        {
            throw new RegistryValidationException(nameof(query.From), from.ToString("O", System.Globalization.CultureInfo.InvariantCulture), $"is after Until ({until:O})", "give a period whose start is not after its end");
        }

        if ((query.Kind is null) != (query.Id is null))
        {
            throw new RegistryValidationException(query.Kind is null ? nameof(query.Kind) : nameof(query.Id), null, "is missing", "give both the kind and the id of a record, or neither");
        }

        if (query.Id is { } queried && Guard.Prefix(queried, AccessControl.MaxId) != queried)
        {
            throw new RegistryValidationException(nameof(query.Id), queried, "is not an id", $"give the record's id: at most {AccessControl.MaxId} printable characters");
        }

        if (query.Actor is { } actor && Guard.Prefix(actor, 200) != actor)
        {
            throw new RegistryValidationException(nameof(query.Actor), actor, "is not an actor's name", "give the name as recorded: 1 to 200 printable characters");
        }

        if (query.Kind is { } kind && !Enum.IsDefined(kind))
        {
            throw new RegistryValidationException(nameof(query.Kind), ((int)kind).ToString(System.Globalization.CultureInfo.InvariantCulture), "is not a kind of record", "use a value of AggregateKind");
        }

        _access.Check(by, RegistryAction.ReadAccessLog, query.Kind, query.Id);
        _access.Log.Flush();
        var id = query.Kind == AggregateKind.Donor && DonorId.TryParse(query.Id, out var donor) ? donor.ToString() : query.Id;
        return _storage.Access.Find(query with { Id = id });
    }

    /// <summary>The entries about one record, newest first: who was refused on it, who read its personal data. Show them beside its audit trail.</summary>
    /// <param name="kind">The kind of record.</param>
    /// <param name="id">Its id as text (a donor as DR-00000042 or 42).</param>
    /// <param name="by">Who reads the log.</param>
    /// <returns>The entries, newest first (at most 100,000).</returns>
    /// <exception cref="RegistryValidationException">The id is blank or the kind is not defined.</exception>
    /// <exception cref="AccessDeniedException">The actor may not read the access log.</exception>
    public IReadOnlyList<AccessRecord> ForRecord(AggregateKind kind, string id, Actor by)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new RegistryValidationException(nameof(id), id, "is blank", "give the record's id");
        }

        return History(new AccessQuery(Kind: kind, Id: id, Limit: Guard.MaxPage), by);
    }
}
