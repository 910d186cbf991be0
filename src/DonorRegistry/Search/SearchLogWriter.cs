using System.Threading.Channels;
using DonorRegistry.Storage;

namespace DonorRegistry.Search;

/// <summary>
/// The search log, written off the read path: a search only queues its entry; a writer of its own stores the
/// queued entries in batches. <see cref="Flush"/> stores what is queued now (reports call it before they count
/// searches), and disposing stores the rest, so no entry is lost at a clean close.
/// </summary>
internal sealed class SearchLogWriter : IDisposable
{
    private readonly IRegistryStorage _storage;
    private readonly Channel<SearchLogEntry> _queue = Channel.CreateUnbounded<SearchLogEntry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _drain = new();
    private readonly Task _writer;

    public SearchLogWriter(IRegistryStorage storage)
    {
        _storage = storage;
        _writer = Task.Factory.StartNew(WriteAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Queues an entry; never waits for a writer.</summary>
    public void Add(SearchLogEntry entry) => _queue.Writer.TryWrite(entry);

    /// <summary>Stores every entry queued so far.</summary>
    public void Flush()
    {
        lock (_drain)
        {
            var batch = new List<SearchLogEntry>();
            while (_queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            if (batch.Count > 0)
            {
                _storage.Write(() =>
                {
                    _storage.Reports.AppendSearchLog(batch);
                    return 0;
                });
            }
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.GetAwaiter().GetResult();
        Flush();
    }

    private async Task WriteAsync()
    {
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            Flush();
        }
    }
}
