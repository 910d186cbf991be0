using DonorRegistry.Donors;

namespace DonorRegistry.Storage;

/// <summary>
/// What every engine does with the key store's withdrawal ledger when a registry opens (ADR 12), over the storage
/// contract alone: find the withdrawals the database has not applied, and destroy the keys of withdrawn donors.
/// </summary>
internal static class KeyLedger
{
    /// <summary>
    /// Ledger entries the database has not applied: donors it holds who are not withdrawn (a database restored from a
    /// backup taken before they withdrew, or a withdrawal whose commit did not finish). The registry withdraws them
    /// through the verb when it opens.
    /// </summary>
    public static IReadOnlyList<DonorId> UnappliedWithdrawals(IRegistryStorage storage) =>
        storage.Keys.Withdrawals()
            .Select(entry => new DonorId(entry.DonorId))
            .Where(id => storage.Donors.Find(id) is { } donor && donor.Value.State != DonorState.Withdrawn)
            .ToList();

    /// <summary>
    /// A withdrawal commits in the database and then destroys the key. If the process died in between, or the key
    /// store came back from a backup, keys of withdrawn donors are still there; destroy them (every donor the database
    /// or the ledger names as withdrawn).
    /// </summary>
    public static void DestroyKeysOfWithdrawnDonors(IRegistryStorage storage) =>
        storage.Keys.DestroyKeysOfWithdrawn(storage.Donors.FindWithdrawn().Select(d => d.Value));
}
