namespace DonorRegistry.Protection;

/// <summary>
/// Where the donors' wrapped data keys and the withdrawal ledger live, apart from the records (ADR 2, 12, 20): a
/// file beside the database (<see cref="KeyStore"/>, with <see cref="WithdrawalLedger"/>), or a schema of its own on a
/// database server (the PostgreSQL engine's key store). The registry key wraps every data key; a key store holds only
/// wrapped keys, donor numbers and instants.
/// </summary>
/// <remarks>
/// The order every engine keeps: an enrolment's keys are durable (<see cref="Flush"/>) before its donors commit, so a
/// committed donor never lacks its key; a withdrawal is in the ledger (<see cref="RecordWithdrawal"/>) before it
/// commits, so the ledger lists every donor the database holds as withdrawn; the key is destroyed after the commit
/// (<see cref="Destroy"/>), and again at the next open (<see cref="DestroyKeysOfWithdrawn"/>) had the process died between.
/// </remarks>
internal interface IKeyStore : IDisposable
{
    /// <summary>Where the keys are, for messages: a file's full path, <see cref="RegistryOptions.InMemoryPath"/>, or a server and schema (no password).</summary>
    string Path { get; }

    /// <summary>The registry these keys belong to (the database's header holds the same id).</summary>
    Guid RegistryId { get; }

    /// <summary>True when the keys are in a file (or memory) that <see cref="Registry.KeyStorePath"/> names.</summary>
    bool IsFile { get; }

    /// <summary>Every withdrawal the ledger lists, in order.</summary>
    IReadOnlyList<Withdrawal> Withdrawals();

    /// <summary>True when the ledger lists the donor as withdrawn.</summary>
    bool IsWithdrawn(long donorId);

    /// <summary>
    /// True when <see cref="WriteRange"/> and <see cref="Flush"/> may run on another thread while the registry's write
    /// runs (a file of its own, behind its own lock): the enrolment then stores and forces each chunk's keys on its
    /// preparing thread, off the writer's path. False when they belong to the write's own transaction (a server).
    /// </summary>
    bool WritesBesideAWrite { get; }

    /// <summary>Stores the wrapped keys of consecutive donor numbers (an enrolment); durable at the latest at <see cref="Flush"/>.</summary>
    void WriteRange(long firstSlot, IReadOnlyList<byte[]> wrappedKeys);

    /// <summary>The donor's wrapped data key, or null when there is none (never stored, or destroyed).</summary>
    byte[]? Read(long slot);

    /// <summary>Adds a withdrawal to the ledger, durably, before the withdrawal commits; a donor listed already is not added again.</summary>
    void RecordWithdrawal(long donorId, DateTimeOffset at);

    /// <summary>Destroys the donor's key, durably (after the withdrawal committed).</summary>
    void Destroy(long slot);

    /// <summary>Destroys the key of every donor the ledger lists and of every donor in <paramref name="withdrawnInDatabase"/> (at open).</summary>
    void DestroyKeysOfWithdrawn(IEnumerable<long> withdrawnInDatabase);

    /// <summary>Makes the keys written in this write durable, before the write's records commit.</summary>
    void Flush();
}
