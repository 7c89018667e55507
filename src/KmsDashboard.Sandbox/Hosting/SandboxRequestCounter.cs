using System.Collections.Concurrent;

namespace KmsDashboard.Sandbox.Hosting;

/// <summary>
/// Every signed request the sandbox received, counted by signing service (kms, monitoring, cloudtrail, s3, sts, …) —
/// CloudWatch and CloudTrail reads included, which <see cref="SandboxCallLog"/> does not carry. Tests compare what
/// clients cost the backend.
/// </summary>
public sealed class SandboxRequestCounter
{
    private readonly ConcurrentDictionary<string, int> _served = new(StringComparer.Ordinal);

    internal void Count(string service) => _served.AddOrUpdate(service.ToLowerInvariant(), 1, (_, n) => n + 1);

    /// <summary>The requests counted so far, by signing service.</summary>
    public IReadOnlyDictionary<string, int> Snapshot() => new SortedDictionary<string, int>(_served, StringComparer.Ordinal);

    /// <summary>The requests counted since <paramref name="before"/> (a <see cref="Snapshot"/>), by service; services with none left out.</summary>
    public IReadOnlyDictionary<string, int> Since(IReadOnlyDictionary<string, int> before) =>
        new SortedDictionary<string, int>(Snapshot().Select(p => (p.Key, Count: p.Value - before.GetValueOrDefault(p.Key))).Where(p => p.Count > 0)
            .ToDictionary(p => p.Key, p => p.Count, StringComparer.Ordinal), StringComparer.Ordinal);
}
