namespace KmsDashboard.Core.Inventory;

/// <summary>
/// Paces requests under a rate (GCRA): at most <c>perSecond × (t + burst)</c> requests start in any span t, so a Region's
/// per-operation quota is never exceeded however many callers wait at once.
/// </summary>
internal sealed class RequestPacer(double perSecond, TimeProvider time, TimeSpan burst)
{
    private readonly long _intervalTicks = Math.Max(1, (long)(TimeSpan.TicksPerSecond / perSecond));
    private readonly long _burstTicks = burst.Ticks;
    private readonly Lock _gate = new();
    private long _theoreticalArrival;

    public double PerSecond { get; } = perSecond;

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        long allowedAt;
        lock (_gate)
        {
            var tat = Math.Max(_theoreticalArrival, now);
            allowedAt = tat - _burstTicks;
            _theoreticalArrival = tat + _intervalTicks;
        }
        var wait = allowedAt - now;
        return wait <= TimeSpan.TicksPerMillisecond / 2 ? Task.CompletedTask : Task.Delay(TimeSpan.FromTicks(wait), time, cancellationToken);
    }
}
