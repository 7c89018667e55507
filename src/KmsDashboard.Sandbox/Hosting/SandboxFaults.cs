using System.Collections.Concurrent;

namespace KmsDashboard.Sandbox.Hosting;

/// <summary>Per-Region fault injection, applied by the dispatcher to every service of that Region.</summary>
public sealed class SandboxFaults
{
    private readonly ConcurrentDictionary<string, RegionFault> _faults = new(StringComparer.Ordinal);

    /// <summary>Latency added to every call in every Region (benchmarks model a real network with it).</summary>
    public TimeSpan GlobalLatency { get; set; }

    public RegionFault For(string region) => _faults.TryGetValue(region, out var fault) ? fault : RegionFault.None;

    public void Set(string region, RegionFault fault) => _faults[region] = fault;

    public void Clear(string region) => _faults.TryRemove(region, out _);

    public IReadOnlyDictionary<string, RegionFault> All => _faults;

    public void Reset()
    {
        _faults.Clear();
        GlobalLatency = TimeSpan.Zero;
    }
}
