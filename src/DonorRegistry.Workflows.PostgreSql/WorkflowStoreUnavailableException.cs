namespace DonorRegistry.Workflows.PostgreSql;

/// <summary>
/// Thrown when the PostgreSQL server that keeps the workflows failed or could not be reached: the message names the
/// server (host, port and database; never the password), what the store was doing, and the driver's message, which is
/// kept as the inner exception.
/// </summary>
public sealed class WorkflowStoreUnavailableException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="server">The server, as <c>host:port/database</c>.</param>
    /// <param name="operation">What failed, such as "save workflow 3f2c…".</param>
    /// <param name="innerException">The driver's exception.</param>
    public WorkflowStoreUnavailableException(string server, string operation, Exception innerException)
        : base($"The workflow store on PostgreSQL at {server} could not {operation}: {innerException?.Message}", innerException)
    {
        Server = server;
        Operation = operation;
    }

    /// <summary>The server, as <c>host:port/database</c>.</summary>
    public string Server { get; }

    /// <summary>What failed.</summary>
    public string Operation { get; }
}
