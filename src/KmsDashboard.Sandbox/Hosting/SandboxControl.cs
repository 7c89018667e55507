namespace KmsDashboard.Sandbox.Hosting;

/// <summary>Moves the sandbox clock, sets Region faults and resets the sandbox: from code, and behind /_sandbox.</summary>
public sealed class SandboxControl(SandboxClock clock, SandboxFaults faults, IEnumerable<ISandboxResettable> resettables)
{
    public SandboxClock Clock => clock;
    public SandboxFaults Faults => faults;

    public DateTimeOffset Advance(TimeSpan by)
    {
        clock.Advance(by);
        return clock.UtcNow;
    }

    /// <summary>Back to real time, no faults, and every service's state dropped (re-seeded when SeedDemoAccount).</summary>
    public void Reset()
    {
        clock.Reset();
        faults.Reset();
        foreach (var resettable in resettables) resettable.Reset();
    }
}
