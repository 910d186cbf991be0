using DonorRegistry.Donors;

namespace DonorRegistry.Storage;

/// <summary>
/// Commits of other application instances on the same registry, as an engine that several instances share hands them
/// to the core (<see cref="IRegistryStorage.Follow"/>), in commit order, alone among this instance's writers: the
/// records they changed, and the donors among them as stored now, so the in-memory caches (the search index) follow
/// them as they follow this instance's own commits (ADR 21).
/// </summary>
/// <param name="Through">The engine's change number of the last commit these changes include.</param>
/// <param name="Donors">The donors the commits changed, read after them (their latest committed state).</param>
/// <param name="Records">Every record the commits changed, by kind and id.</param>
/// <param name="Missed">
/// True when the engine cannot say what changed before these (the changes were pruned while this instance was cut off):
/// caches built from the store must be built again.
/// </param>
internal sealed record ExternalChanges(long Through, IReadOnlyList<Donor> Donors, IReadOnlyList<(AggregateKind Kind, string Id)> Records, bool Missed);
