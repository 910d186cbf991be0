using System.Collections.Concurrent;
using Npgsql;
using WorkflowCore.Interface;

namespace DonorRegistry.Workflows.PostgreSql;

/// <summary>
/// WorkflowCore's lock provider on PostgreSQL session-level advisory locks, so that two processes sharing a workflow
/// store never run the same workflow (or poll the same queue) at once; without one, WorkflowCore's single-node lock
/// lets two hosts pick up and run the same workflow step together.
/// <para>
/// A lock is <c>pg_try_advisory_lock(key)</c> on a connection of its own, held open while the lock is held; the key is
/// a stable 64-bit hash (SHA-256) of the store's schema and the resource id. <see cref="ReleaseLock"/> runs
/// <c>pg_advisory_unlock</c> and returns the connection to this provider's own pool. If the holder's process dies or its
/// connection breaks, the server ends the session and frees the lock with it. A lock is not re-entrant: a second
/// <see cref="AcquireLock"/> of a held resource returns false, in this process or any other.
/// </para>
/// <para>Internal, like the store: the package's public surface is <c>UsePostgreSql</c> and its exception, so no
/// WorkflowCore or Npgsql type is part of the library's API (as the design rules ask of DonorRegistry.Workflows).</para>
/// </summary>
internal sealed class PostgreSqlDistributedLockProvider : IDistributedLockProvider, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _scope;
    private readonly string _server;
    private readonly ConcurrentDictionary<string, NpgsqlConnection> _held = new(StringComparer.Ordinal);

    /// <summary>Creates the provider for the workflows kept in the schema <c>workflows</c> of a server.</summary>
    /// <param name="connectionString">An Npgsql connection string (the provider keeps a pool of its own).</param>
    /// <exception cref="ArgumentException">The connection string is blank or not valid.</exception>
    public PostgreSqlDistributedLockProvider(string connectionString)
        : this(connectionString, PostgreSqlWorkflowDatabase.DefaultSchema)
    {
    }

    /// <summary>Creates the provider for the workflows kept in a schema (whose name scopes the lock keys).</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="scope">The schema.</param>
    internal PostgreSqlDistributedLockProvider(string connectionString, string scope)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        _server = PostgreSqlWorkflowDatabase.Describe(builder);
        _scope = scope;
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>The resources this provider holds now.</summary>
    internal IReadOnlyCollection<string> Held => _held.Keys.ToList();

    /// <summary>The server process of the session that holds a resource's lock (tests end it), or null.</summary>
    /// <param name="id">The resource.</param>
    /// <returns>The process id.</returns>
    internal int? SessionOf(string id) => _held.TryGetValue(id, out var connection) ? connection.ProcessID : null;

    /// <summary>Takes the lock on a resource if no session (in this process or another) holds it; never waits.</summary>
    /// <param name="Id">The resource: a workflow id, or one of WorkflowCore's queue names.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>True if the lock is now held by this provider.</returns>
    /// <exception cref="WorkflowStoreUnavailableException">The server failed or could not be reached.</exception>
    public async Task<bool> AcquireLock(string Id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(Id);
        if (_held.ContainsKey(Id))
        {
            return false;
        }

        NpgsqlConnection? connection = null;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            bool taken;
            await using (var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection))
            {
                command.Parameters.AddWithValue("key", AdvisoryKey.For(_scope, Id));
                taken = (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            if (!taken)
            {
                return false;
            }

            if (_held.TryAdd(Id, connection))
            {
                connection = null; // held until ReleaseLock
                return true;
            }

            await UnlockAsync(connection, Id).ConfigureAwait(false); // cannot happen: the server refuses a second session
            return false;
        }
        catch (NpgsqlException e)
        {
            throw new WorkflowStoreUnavailableException(_server, $"lock {Id}", e);
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Releases a lock this provider holds (nothing if it holds none), and returns its connection to the pool.</summary>
    /// <param name="Id">The resource.</param>
    /// <returns>A task.</returns>
    /// <exception cref="WorkflowStoreUnavailableException">The unlock failed (the connection is then closed, which frees the lock on the server).</exception>
    public async Task ReleaseLock(string Id)
    {
        if (Id is null || !_held.TryRemove(Id, out var connection))
        {
            return;
        }

        try
        {
            await UnlockAsync(connection, Id).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new WorkflowStoreUnavailableException(_server, $"unlock {Id}", e);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Nothing to start: connections are opened per lock.</summary>
    /// <returns>A completed task.</returns>
    public Task Start() => Task.CompletedTask;

    /// <summary>Releases every lock this provider holds.</summary>
    /// <returns>A task.</returns>
    public async Task Stop()
    {
        foreach (var id in _held.Keys.ToList())
        {
            try
            {
                await ReleaseLock(id).ConfigureAwait(false);
            }
            catch (WorkflowStoreUnavailableException)
            {
                // The connection is closed either way, which frees the lock on the server.
            }
        }
    }

    /// <summary>Releases every lock and closes the pool.</summary>
    public void Dispose()
    {
        Stop().GetAwaiter().GetResult();
        _dataSource.Dispose();
    }

    private async Task UnlockAsync(NpgsqlConnection connection, string id)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
        command.Parameters.AddWithValue("key", AdvisoryKey.For(_scope, id));
        await command.ExecuteScalarAsync().ConfigureAwait(false);
    }
}
