using System.Globalization;
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
            throw new RegistryValidationException(nameof(query.From), from.ToString("O", System.Globalization.CultureInfo.InvariantCulture), $"is after Until ({until:O})", "give a period whose start is not after its end", ValidationCode.EndBeforeStart);
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
            throw new RegistryValidationException(nameof(query.Actor), actor, "is not an actor's name", "give the name as recorded: 1 to 200 printable characters", ValidationCode.BadFormat, Guard.Args((ValidationArgument.Expected, "1-200 printable characters")));
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

    /// <summary>The longest page (or feature) name <see cref="RecordDenied(Actor, string, string)"/> takes.</summary>
    public const int MaxPageLength = 200;

    /// <summary>
    /// Records that the host refused an actor a page (or a feature) of its own: a web app's authorization refusing a
    /// page to the signed-in user's roles. The entry is <see cref="RegistryAction.OpenHostPage"/>, <see cref="AccessOutcome.Denied"/>,
    /// with the page and the reason as its reason (<c>/Coordinator/Search: needs the role Coordinator</c>), queued and
    /// stored as a refused verb's entry is. Recording needs no role: the actor is the one refused.
    /// </summary>
    /// <param name="actor">Who was refused (a host actor too).</param>
    /// <param name="page">The page or feature: 1 to 200 printable characters (a path, never its query string, which may carry names).</param>
    /// <param name="reason">Why it was refused: 1 to 500 printable characters.</param>
    /// <exception cref="RegistryValidationException">The actor is missing or its name is not allowed, or the page or the reason is blank, too long or holds a control character.</exception>
    public void RecordDenied(Actor actor, string page, string reason)
    {
        var name = ActorName(actor);
        if (string.IsNullOrWhiteSpace(page) || page.Length > MaxPageLength)
        {
            throw new RegistryValidationException(nameof(page), page, page is null ? "is missing" : $"is blank or has {page.Length} characters", $"give the page refused: 1 to {MaxPageLength} printable characters");
        }

        var checkedPage = Guard.Printable(page, nameof(page), $"give the page refused: 1 to {MaxPageLength} printable characters");
        var checkedReason = Guard.Text(reason, nameof(reason));
        _access.RecordHostRefusal(actor, name, RegistryAction.OpenHostPage, string.Format(CultureInfo.InvariantCulture, AccessReasons.HostPageRefused, checkedPage, checkedReason));
    }

    /// <summary>
    /// Records that the host refused an actor a verb before calling it (a host that checks <see cref="Policy"/> itself,
    /// to refuse a request it will not pass on). A verb the library refuses records its own entry: do not record it again.
    /// </summary>
    /// <param name="actor">Who was refused (a host actor too).</param>
    /// <param name="action">The verb refused.</param>
    /// <param name="reason">Why it was refused: 1 to 500 printable characters.</param>
    /// <exception cref="RegistryValidationException">The actor is missing or its name is not allowed, the action is not defined, or the reason is blank, too long or holds a control character.</exception>
    public void RecordDenied(Actor actor, RegistryAction action, string reason)
    {
        var name = ActorName(actor);
        if (!Enum.IsDefined(action))
        {
            throw new RegistryValidationException(nameof(action), ((int)action).ToString(System.Globalization.CultureInfo.InvariantCulture), "is not a registry action", "use a value of RegistryAction");
        }

        _access.RecordHostRefusal(actor, name, action, Guard.Text(reason, nameof(reason)));
    }

    private static string ActorName(Actor? actor) =>
        actor is null ? throw new RegistryValidationException(nameof(actor), null, "is missing", "give the actor refused: Actor.For(name, roles), or a name") : Guard.Actor(actor);

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
