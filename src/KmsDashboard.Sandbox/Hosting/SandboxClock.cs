namespace KmsDashboard.Sandbox.Hosting;

/// <summary>
/// The sandbox's notion of now: real time plus an offset that only grows, so tests and demos can move it
/// forward and see pending deletions and scheduled rotations complete.
/// </summary>
public sealed class SandboxClock(TimeProvider? system = null)
{
    private readonly TimeProvider _system = system ?? TimeProvider.System;
    private long _offsetTicks;

    public DateTimeOffset UtcNow => _system.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Raised after the clock moved forward, with the new now; services run what fell due.</summary>
    public event Action<DateTimeOffset>? Advanced;

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
        Advanced?.Invoke(UtcNow);
    }

    /// <summary>Back to real time (used by reset).</summary>
    public void Reset() => Interlocked.Exchange(ref _offsetTicks, 0);
}
