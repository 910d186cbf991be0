using DonorRegistry.Storage;

namespace DonorRegistry.Search;

/// <summary>
/// The search log, written off the read path (<see cref="QueuedLog{T}"/>): a search only queues its entry; reports
/// call <see cref="QueuedLog{T}.Flush"/> before they count searches.
/// </summary>
internal sealed class SearchLogWriter(IRegistryStorage storage) : QueuedLog<SearchLogEntry>(storage, (s, batch) => s.Reports.AppendSearchLog(batch));
