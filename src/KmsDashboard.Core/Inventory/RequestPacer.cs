namespace KmsDashboard.Core.Inventory;

/// <summary>
/// Spaces requests evenly at a fixed rate (no bursts), so a Region's per-operation quota is never exceeded however many
/// callers wait at once.
/// </summary>
internal sealed class RequestPacer(double perSecond, TimeProvider time)
{
    private readonly long _intervalTicks = (long)(TimeSpan.TicksPerSecond / perSecond);
    private readonly Lock _gate = new();
    private long _next;

    public double PerSecond { get; } = perSecond;

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        long slot;
        lock (_gate)
        {
            slot = Math.Max(now, _next);
            _next = slot + _intervalTicks;
        }
        var wait = slot - now;
        return wait <= TimeSpan.TicksPerMillisecond / 2 ? Task.CompletedTask : Task.Delay(TimeSpan.FromTicks(wait), time, cancellationToken);
    }
}
