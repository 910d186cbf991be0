using System.Diagnostics.Tracing;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// The runtime's own count of the bytes each collection promoted, from its GC events in this process: what survives a
/// gen-0 collection is what later costs gen-1 collections, so a profile of the enrolment reports it beside the counts.
/// </summary>
internal sealed class GcPromotions : EventListener
{
    private long _fromGen0;
    private long _fromGen1;

    /// <summary>Bytes promoted out of generation 0 since the listener started.</summary>
    public long FromGen0 => Interlocked.Read(ref _fromGen0);

    /// <summary>Bytes promoted out of generation 1 since the listener started.</summary>
    public long FromGen1 => Interlocked.Read(ref _fromGen1);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)0x1); // GC
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCHeapStats", StringComparison.Ordinal) || eventData.PayloadNames is not { } names)
        {
            return;
        }

        Interlocked.Add(ref _fromGen0, Convert.ToInt64(eventData.Payload![names.IndexOf("TotalPromotedSize0")], System.Globalization.CultureInfo.InvariantCulture));
        Interlocked.Add(ref _fromGen1, Convert.ToInt64(eventData.Payload![names.IndexOf("TotalPromotedSize1")], System.Globalization.CultureInfo.InvariantCulture));
    }
}
