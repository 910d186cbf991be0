using DonorRegistry.Protection;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>Lays a backup's files at a registry's new paths, with the newest withdrawal ledger beside them (ADR 12).</summary>
internal static class BackupFiles
{
    public static void Restore(RegistryBackup backup, string databasePath, string keyStorePath, string? liveLedgerPath)
    {
        foreach (var file in new[] { backup.DatabasePath, backup.KeyStorePath, backup.WithdrawalLedgerPath })
        {
            if (!File.Exists(file))
            {
                throw new RegistryPathException(file, "does not exist, and a backup needs its database, key-store and ledger copies", "give the folder Registry.Backup wrote, with all three files");
            }
        }

        var ledgerPath = WithdrawalLedger.PathFor(keyStorePath);
        foreach (var file in new[] { databasePath, DatabaseFiles.LogPathOf(databasePath), keyStorePath, ledgerPath })
        {
            if (File.Exists(file))
            {
                throw new RegistryPathException(file, "already exists, and a restore never writes over a file", "restore into new paths, then move the files into place once the registry there is closed");
            }
        }

        var ledger = WholeLedger(backup.WithdrawalLedgerPath);
        if (liveLedgerPath is not null)
        {
            var live = WholeLedger(Path.GetFullPath(liveLedgerPath));
            if (live.Length < WithdrawalLedger.HeaderLength || !live.AsSpan(0, WithdrawalLedger.HeaderLength).SequenceEqual(ledger.AsSpan(0, WithdrawalLedger.HeaderLength)))
            {
                throw new KeyStoreMismatchException(liveLedgerPath, "this withdrawal ledger is not the ledger of the backup's registry", "give the ledger beside the key store of the registry the backup was taken from (Registry.WithdrawalLedgerPath)");
            }

            if (live.Length < ledger.Length || !live.AsSpan(0, ledger.Length).SequenceEqual(ledger))
            {
                throw new KeyStoreMismatchException(liveLedgerPath, "this withdrawal ledger does not continue the backup's ledger (it is older than the backup, or another history)", "give the newest ledger of the registry the backup was taken from");
            }

            ledger = live;
        }

        var written = new List<string>();
        try
        {
            Copy(backup.DatabasePath, databasePath, written);
            Copy(backup.KeyStorePath, keyStorePath, written);
            written.Add(ledgerPath);
            using var copy = new FileStream(ledgerPath, FileMode.CreateNew, FileAccess.Write);
            copy.Write(ledger);
            copy.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var file in written)
            {
                File.Delete(file);
            }

            throw new RegistryPathException(databasePath, $"could not be restored into ({e.Message.TrimEnd('.')})", "check the target folder's space and access, then restore again", e);
        }
    }

    /// <summary>The ledger's header and whole entries (a torn last entry, never committed, is left out).</summary>
    private static byte[] WholeLedger(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var whole = stream.Length < WithdrawalLedger.HeaderLength
                ? stream.Length
                : WithdrawalLedger.HeaderLength + ((stream.Length - WithdrawalLedger.HeaderLength) / WithdrawalLedger.EntryLength * WithdrawalLedger.EntryLength);
            var bytes = new byte[whole];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (FileNotFoundException e)
        {
            throw new RegistryPathException(path, "does not exist", "give the path of the withdrawal ledger (Registry.WithdrawalLedgerPath)", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw RegistryPaths.Denied(path, "withdrawal ledger", e);
        }
    }

    private static void Copy(string from, string to, List<string> written)
    {
        written.Add(to);
        using var source = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var target = new FileStream(to, FileMode.CreateNew, FileAccess.Write);
        source.CopyTo(target);
        target.Flush(flushToDisk: true);
    }
}
