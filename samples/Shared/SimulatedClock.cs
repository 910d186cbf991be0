namespace DonorRegistry.FakeData;

/// <summary>A clock a sample moves forward by hand, so that a year passes in seconds. It never goes back.</summary>
internal sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves forward by a span.</summary>
    public void Advance(TimeSpan by) => MoveTo(_now + by);

    /// <summary>Moves to an instant, never backwards.</summary>
    public void MoveTo(DateTimeOffset instant)
    {
        if (instant > _now)
        {
            _now = instant;
        }
    }
}
