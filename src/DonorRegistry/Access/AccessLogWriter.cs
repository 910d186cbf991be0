using DonorRegistry.Storage;

namespace DonorRegistry.Access;

/// <summary>
/// The access log, written off the caller's path as the search log is (<see cref="QueuedLog{T}"/>): a refusal only
/// queues its entry; a personal-data read is stored before the data is returned (<see cref="QueuedLog{T}.AddNow"/>);
/// the access log's reads call <see cref="QueuedLog{T}.Flush"/> first.
/// </summary>
internal sealed class AccessLogWriter(IRegistryStorage storage) : QueuedLog<AccessRecord>(storage, (s, batch) => s.Access.Append(batch));
