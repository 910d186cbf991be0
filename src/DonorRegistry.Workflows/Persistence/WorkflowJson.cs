using Newtonsoft.Json;

namespace DonorRegistry.Workflows.Persistence;

/// <summary>
/// How workflow instances, subscriptions and events are kept inside their LiteDB documents: as JSON with type
/// names, so that workflow data, event data and the persistence data of WorkflowCore's primitives come back as
/// the types they were. The store is the registry's own file, so it is as trusted as the registry itself.
/// </summary>
internal static class WorkflowJson
{
    private static readonly JsonSerializerSettings Settings = new()
    {
        TypeNameHandling = TypeNameHandling.All,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
        ReferenceLoopHandling = ReferenceLoopHandling.Error,
    };

    public static string Write<T>(T value) => JsonConvert.SerializeObject(value, Settings);

    public static T Read<T>(string json) =>
        JsonConvert.DeserializeObject<T>(json, Settings) ?? throw new InvalidDataException($"A stored {typeof(T).Name} is empty.");

    /// <summary>A WorkflowCore instant as UTC ticks (it passes both UTC and unspecified kinds; local ones are converted).</summary>
    public static long Ticks(DateTime instant) => instant.Kind == DateTimeKind.Local ? instant.ToUniversalTime().Ticks : instant.Ticks;

    public static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);
}
