namespace DonorRegistry;

/// <summary>
/// Thrown when a registry on a database server cannot reach it or the server fails a call: the connection is refused,
/// the server went away, a login or a statement failed for a reason that is not the registry's data. It names the
/// server (never its password) and what failed. The verb that raised it stored nothing (its transaction was rolled
/// back), except when the server went away during the commit itself: then <see cref="Failed"/> says so, and whether
/// the change was stored is not known until the record is read again. Fix the server or the connection string and
/// try again.
/// </summary>
public sealed class RegistryUnavailableException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="server">The server and database, as the registry names them (no password).</param>
    /// <param name="failed">What failed, in a few words ("opening a connection", "committing a write").</param>
    /// <param name="innerException">The driver's failure.</param>
    public RegistryUnavailableException(string server, string failed, Exception? innerException = null)
        : base($"'{server}': {failed} failed ({innerException?.Message.TrimEnd('.') ?? "no reason given"}). Check that the server is running and reachable, then try again.", innerException)
    {
        Server = server;
        Failed = failed;
    }

    /// <summary>The server and database, as the registry names them (no password).</summary>
    public string Server { get; }

    /// <summary>What failed.</summary>
    public string Failed { get; }
}
