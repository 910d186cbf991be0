namespace DonorRegistry;

/// <summary>
/// Thrown when a registry file (the database or its key store) holds something the library did not write: a document
/// that does not decode or whose seal does not match its content, an engine structure that cannot be read, a key slot
/// or sealed personal data that does not open. Nothing was changed. <see cref="Registry.Verify"/> lists every such
/// problem at once.
/// </summary>
/// <remarks>
/// Damage is what is found in the file; <see cref="RegistryStorageException"/> is a failure of the disk while
/// writing (the file may be sound, the write did not reach it); <see cref="NotARegistryException"/> is a file that
/// is not a registry at all.
/// </remarks>
public sealed class RegistryDamagedException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The damaged file.</param>
    /// <param name="collection">The collection (or the key store's part) that holds the damage, if known.</param>
    /// <param name="documentId">The document (or slot) that holds the damage, if known.</param>
    /// <param name="expected">What was expected there.</param>
    /// <param name="innerException">The engine's or decoder's failure, if any.</param>
    public RegistryDamagedException(string path, string? collection, string? documentId, string expected, Exception? innerException = null)
        : base($"'{path}' is damaged: {Where(collection, documentId)}: expected {expected}{Found(innerException)}. " +
               "Nothing was changed. Open the registry again and run Registry.Verify() for the full list; if it reports damage, restore the registry and its key store from their last backups.",
            innerException)
    {
        Path = path;
        Collection = collection;
        DocumentId = documentId;
        Expected = expected;
    }

    /// <summary>The damaged file.</summary>
    public string Path { get; }

    /// <summary>The collection (or the key store's part) that holds the damage; null when the engine could not say.</summary>
    public string? Collection { get; }

    /// <summary>The id of the damaged document (or key slot); null when the engine could not say.</summary>
    public string? DocumentId { get; }

    /// <summary>What was expected where the damage is.</summary>
    public string Expected { get; }

    private static string Where(string? collection, string? id) => (collection, id) switch
    {
        (null, null) => "the database engine's own structures",
        (not null, null) => $"collection '{collection}'",
        (null, not null) => $"document '{id}'",
        _ => $"collection '{collection}', document '{id}'",
    };

    private static string Found(Exception? inner) =>
        inner is null ? "" : $" ({inner.GetType().Name}: {Shorten(inner.Message)})";

    private static string Shorten(string message)
    {
        var line = message.ReplaceLineEndings(" ").TrimEnd('.');
        return line.Length <= 160 ? line : line[..160] + "…";
    }
}
