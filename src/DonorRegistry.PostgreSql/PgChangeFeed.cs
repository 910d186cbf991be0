using DonorRegistry.Donors;
using DonorRegistry.Storage;
using Npgsql;

namespace DonorRegistry.PostgreSql;

/// <summary>
/// Follows the commits other application instances make on the same registry (ADR 21): a connection of its own
/// LISTENs on the registry's channel; on each notification, and after every (re)connection, it reads the change table
/// past the last change number it applied, reads the donors those changes stored as they are now, and hands them to
/// the core alone among this instance's writers. A lost connection is opened again (with a growing wait, up to 2 s) and
/// the changes made meanwhile are read from the table, so a missed notification costs time, never a change.
/// </summary>
internal sealed class PgChangeFeed : IDisposable
{
    private const int Batch = 1000;
    private static readonly TimeSpan SafetyPoll = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Prune = TimeSpan.FromMinutes(15);

    private readonly NpgsqlDataSource _listenSource;
    private readonly PgDatabase _db;
    private readonly PgDonorStore _donors;
    private readonly string _channel;
    private readonly Guid _origin;
    private readonly Action<Action> _alone;
    private readonly Action<ExternalChanges> _apply;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _applied;
    private int _connections;
    private long _prunedAt = long.MinValue / 2; // Environment.TickCount64 of the last prune: a monotonic interval, no wall clock

    private PgChangeFeed(NpgsqlDataSource listenSource, PgDatabase db, PgDonorStore donors, string channel, Guid origin, Action<Action> alone, Action<ExternalChanges> apply, long from)
    {
        _listenSource = listenSource;
        _db = db;
        _donors = donors;
        _channel = channel;
        _origin = origin;
        _alone = alone;
        _apply = apply;
        _applied = from;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The last change number handed to the core (or found already applied at the start).</summary>
    public long Applied => Volatile.Read(ref _applied);

    /// <summary>How many times the listening connection was opened (1 while it never broke).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The last failure the feed met (a lost connection, a change the core could not apply), or null.</summary>
    public Exception? LastFailure { get; private set; }

    /// <summary>
    /// Starts following from the change number the registry is at now: everything committed before is in the tables the
    /// core's caches are built from. Reading it is the caller's failure when the server cannot be reached.
    /// </summary>
    public static PgChangeFeed Start(NpgsqlConnectionStringBuilder builder, PgDatabase db, PgDonorStore donors, string channel, Guid origin, Action<Action> alone, Action<ExternalChanges> apply)
    {
        var from = db.Scalar<long>("reading the registry's change number", "SELECT coalesce((SELECT next - 1 FROM sequences WHERE name = 'change'), 0)");
        var listen = new NpgsqlConnectionStringBuilder(builder.ConnectionString)
        {
            ApplicationName = (string.IsNullOrEmpty(builder.ApplicationName) ? "DonorRegistry" : builder.ApplicationName) + " changes",
            Pooling = false,
            KeepAlive = 5,
        };
        return new PgChangeFeed(NpgsqlDataSource.Create(listen), db, donors, channel, origin, alone, apply, from);
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // The loop ends with the cancellation; a failure of its own was kept in LastFailure.
        }

        _listenSource.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var wait = TimeSpan.FromMilliseconds(100);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _listenSource.OpenConnectionAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                var heard = new List<string>();
                connection.Notification += (_, e) => heard.Add(e.Payload); // raised on this loop, inside WaitAsync
                await using (var listen = new NpgsqlCommand($"LISTEN {PgSchema.Quote(_channel)}", connection))
                {
                    await listen.ExecuteNonQueryAsync(_stop.Token);
                }

                // Listening now: what was committed before (while cut off, or before the start) is read from the table.
                CatchUp();
                wait = TimeSpan.FromMilliseconds(100);
                while (!_stop.IsCancellationRequested)
                {
                    // A notification while the session lives is never lost; the poll is a safety net only.
                    heard.Clear();
                    if (!await connection.WaitAsync(SafetyPoll, _stop.Token) || !OwnOnly(heard))
                    {
                        CatchUp();
                    }
                }
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LastFailure = e;
                try
                {
                    await Task.Delay(wait, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    /// <summary>
    /// True when every notification heard names a change of this instance's own, each the next number after
    /// <see cref="Applied"/>: then there is nothing to read (the feed skips its own changes), and the numbers are applied
    /// without a query. Numbers are taken and notified in commit order, so the next number's notification comes before
    /// any later one; anything else (another instance's change, a number out of turn, a payload of an older version
    /// without the origin) is read from the table.
    /// </summary>
    private bool OwnOnly(List<string> heard)
    {
        if (heard.Count == 0)
        {
            return false;
        }

        var applied = Applied;
        foreach (var payload in heard)
        {
            if (!Change.TryParse(payload, out var seq, out var origin) || origin != _origin || seq != applied + 1)
            {
                return false;
            }

            applied = seq;
        }

        Volatile.Write(ref _applied, applied);
        return true;
    }

    /// <summary>Hands the core every change past <see cref="Applied"/>, in batches, in commit order.</summary>
    private void CatchUp()
    {
        while (!_stop.IsCancellationRequested)
        {
            var rows = _db.List("reading other instances' changes", 
                // This instance's own changes are skipped: their lists of records (an enrolment's thousand) stay on the server.
                "SELECT seq, origin, CASE WHEN origin = $2 THEN '{}' ELSE kinds END, CASE WHEN origin = $2 THEN '{}' ELSE ids END FROM changes WHERE seq > $1 ORDER BY seq LIMIT " + Batch,
                r => (Seq: r.GetInt64(0), Origin: r.GetGuid(1), Kinds: r.GetFieldValue<string[]>(2), Ids: r.GetFieldValue<string[]>(3)), Applied, _origin);
            if (rows.Count == 0)
            {
                break;
            }

            // Numbers are taken in commit order and a rolled-back write gives its number back, so the table has no gaps:
            // one here means the changes were pruned while this instance was cut off.
            var missed = rows[0].Seq != Applied + 1;
            var records = rows.Where(r => r.Origin != _origin)
                .SelectMany(r => r.Kinds.Zip(r.Ids, (kind, id) => (Kind: Enum.Parse<AggregateKind>(kind), Id: id)))
                .Distinct()
                .ToList();
            if (records.Count > 0 || missed)
            {
                try
                {
                    _alone(() =>
                    {
                        // Read alone among writers: no commit of this instance lands between the read and the apply.
                        var donors = _donors.FindMany(records.Where(r => r.Kind == AggregateKind.Donor).Select(r => DonorId.Parse(r.Id).Value).ToList());
                        _apply(new ExternalChanges(rows[^1].Seq, donors, records, missed));
                    });
                }
                catch (RegistryUnavailableException)
                {
                    throw; // the connection is gone: read again from Applied once it is back
                }
                catch (Exception e)
                {
                    LastFailure = e; // the core could not apply them (a typing it cannot read): go on, as its own commits do
                }
            }

            Volatile.Write(ref _applied, rows[^1].Seq);
            if (rows.Count < Batch)
            {
                break;
            }
        }

        PruneNowAndThen();
    }

    /// <summary>Drops changes a day old (an instance cut off longer builds its caches again, <see cref="ExternalChanges.Missed"/>).</summary>
    private void PruneNowAndThen()
    {
        if (Environment.TickCount64 - _prunedAt < (long)Prune.TotalMilliseconds)
        {
            return;
        }

        _prunedAt = Environment.TickCount64;
        _db.Execute("pruning the change table", "DELETE FROM changes WHERE at < now() - interval '1 day'");
    }
}

/// <summary>A change's notification: its number and the instance that made it (ADR 21).</summary>
internal static class Change
{
    /// <summary>Reads a payload: "seq origin"; false for one without the origin (written by an older version).</summary>
    public static bool TryParse(string payload, out long seq, out Guid origin)
    {
        seq = 0;
        origin = Guid.Empty;
        var space = payload.IndexOf(' ', StringComparison.Ordinal);
        return space > 0
            && long.TryParse(payload.AsSpan(0, space), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out seq)
            && Guid.TryParse(payload.AsSpan(space + 1), out origin);
    }
}
