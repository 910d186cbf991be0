using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// Counts the runtime's allocation samples (one event per about 100 KB allocated) by type, in this process: a coarse
/// picture of what allocates, for the drive benchmark's <c>--alloc</c> switch.
/// </summary>
internal sealed class AllocationTicks : EventListener
{
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }

        var type = eventData.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload[t] as string ?? "?" : "?";
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload[a], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        _bytes.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }

    /// <summary>The types that took the most sampled bytes, largest first.</summary>
    public IEnumerable<(string Type, long Bytes)> Top(int count) =>
        _bytes.OrderByDescending(kv => kv.Value).Take(count).Select(kv => (kv.Key, kv.Value));
}
