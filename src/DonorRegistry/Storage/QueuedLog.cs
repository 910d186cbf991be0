using System.Threading.Channels;

namespace DonorRegistry.Storage;

/// <summary>
/// A log written off the caller's path (the search log, the access log): a caller only queues its entry, and a writer
/// of its own stores the queued entries in batches, each batch one small write of its own. <see cref="AddNow"/> stores
/// an entry before it returns (with whatever is queued before it); <see cref="Flush"/> stores what is queued now
/// (readers of the log call it first), and disposing stores the rest, so no entry is lost at a clean close.
/// </summary>
/// <typeparam name="T">The entry.</typeparam>
internal abstract class QueuedLog<T> : IDisposable
{
    private readonly IRegistryStorage _storage;
    private readonly Action<IRegistryStorage, IReadOnlyList<T>> _append;
    private readonly Channel<T> _queue = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _drain = new();
    private readonly Task _writer;

    /// <param name="storage">The engine.</param>
    /// <param name="append">Stores a batch, inside a write.</param>
    protected QueuedLog(IRegistryStorage storage, Action<IRegistryStorage, IReadOnlyList<T>> append)
    {
        _storage = storage;
        _append = append;
        _writer = Task.Factory.StartNew(WriteAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Queues an entry; never waits for a writer.</summary>
    public void Add(T entry) => _queue.Writer.TryWrite(entry);

    /// <summary>Stores an entry now, in a write of its own, with whatever is queued before it.</summary>
    public void AddNow(T entry)
    {
        lock (_drain)
        {
            var queued = Drain();
            try
            {
                Store([.. queued, entry]);
            }
            catch (RegistryUnavailableException)
            {
                Requeue(queued); // the caller learns of the failure; the entries queued before it are stored later
                throw;
            }
        }
    }

    /// <summary>Stores every entry queued so far.</summary>
    public void Flush()
    {
        lock (_drain)
        {
            var queued = Drain();
            try
            {
                Store(queued);
            }
            catch (RegistryUnavailableException)
            {
                Requeue(queued);
                throw;
            }
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.GetAwaiter().GetResult();
        Flush();
    }

    private List<T> Drain()
    {
        var batch = new List<T>();
        while (_queue.Reader.TryRead(out var entry))
        {
            batch.Add(entry);
        }

        return batch;
    }

    private void Store(List<T> batch)
    {
        if (batch.Count > 0)
        {
            _storage.Write(() =>
            {
                _append(_storage, batch);
                return 0;
            });
        }
    }

    // Entries a write could not store go back to the queue (while it is open), so that an engine out of reach for a
    // while (a server restarting) costs the log no entry and does not stop its writer.
    private void Requeue(List<T> entries)
    {
        foreach (var entry in entries)
        {
            _queue.Writer.TryWrite(entry);
        }
    }

    private async Task WriteAsync()
    {
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            try
            {
                Flush();
            }
            catch (RegistryUnavailableException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false); // the entries are queued again; try once more shortly
            }
        }
    }
}
