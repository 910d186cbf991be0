using System.Threading.Channels;
using DonorRegistry.Storage;

namespace DonorRegistry.Access;

/// <summary>
/// Writes the access log off the caller's path, as the search log is written (Search/SearchLogWriter.cs): a refusal
/// only queues its entry, and a writer of its own stores queued entries in small commits of their own. A personal-data
/// read is stored before the data is returned (<see cref="AddNow"/>). <see cref="Flush"/> stores what is queued now
/// (the access log's reads call it), and disposing stores the rest, so no entry is lost at a clean close.
/// </summary>
internal sealed class AccessLogWriter : IDisposable
{
    private readonly IRegistryStorage _storage;
    private readonly Channel<AccessRecord> _queue = Channel.CreateUnbounded<AccessRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _drain = new();
    private readonly Task _writer;

    public AccessLogWriter(IRegistryStorage storage)
    {
        _storage = storage;
        _writer = Task.Factory.StartNew(WriteAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Queues an entry; never waits for a writer.</summary>
    public void Add(AccessRecord record) => _queue.Writer.TryWrite(record);

    /// <summary>Stores an entry now, in a commit of its own, with whatever is queued before it.</summary>
    public void AddNow(AccessRecord record)
    {
        lock (_drain)
        {
            Store([.. Drain(), record]);
        }
    }

    /// <summary>Stores every entry queued so far.</summary>
    public void Flush()
    {
        lock (_drain)
        {
            Store(Drain());
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.GetAwaiter().GetResult();
        Flush();
    }

    private List<AccessRecord> Drain()
    {
        var batch = new List<AccessRecord>();
        while (_queue.Reader.TryRead(out var record))
        {
            batch.Add(record);
        }

        return batch;
    }

    private void Store(List<AccessRecord> batch)
    {
        if (batch.Count > 0)
        {
            _storage.Write(() =>
            {
                _storage.Access.Append(batch);
                return 0;
            });
        }
    }

    private async Task WriteAsync()
    {
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            Flush();
        }
    }
}
