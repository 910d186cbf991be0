namespace DonorRegistry;

/// <summary>
/// The files of a registry backup (<see cref="Registry.Backup"/>): a copy of the database, of the key store and of
/// the withdrawal ledger, taken at one instant. Give it to <see cref="Registry.Restore"/>.
/// </summary>
public sealed class RegistryBackup
{
    /// <summary>Names a backup by its database copy; the key store and ledger copies lie beside it under their usual names.</summary>
    /// <param name="databasePath">The database copy.</param>
    /// <param name="keyStorePath">The key-store copy. Default: <paramref name="databasePath"/> + <c>.keys</c>.</param>
    /// <exception cref="RegistryValidationException">The database path is blank.</exception>
    public RegistryBackup(string databasePath, string? keyStorePath = null)
    {
        if (string.IsNullOrWhiteSpace(databasePath))
        {
            throw new RegistryValidationException(nameof(databasePath), databasePath, "is blank", "give the path of the backup's database copy");
        }

        DatabasePath = Path.GetFullPath(databasePath);
        KeyStorePath = Path.GetFullPath(keyStorePath ?? DatabasePath + ".keys");
        WithdrawalLedgerPath = Protection.WithdrawalLedger.PathFor(KeyStorePath);
    }

    /// <summary>The database copy.</summary>
    public string DatabasePath { get; }

    /// <summary>The key-store copy.</summary>
    public string KeyStorePath { get; }

    /// <summary>The withdrawal-ledger copy (<see cref="KeyStorePath"/> + <c>.withdrawals</c>).</summary>
    public string WithdrawalLedgerPath { get; }

    /// <inheritdoc/>
    public override string ToString() => DatabasePath;
}
