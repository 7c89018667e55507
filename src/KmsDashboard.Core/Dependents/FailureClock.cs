using System.Collections.Concurrent;

namespace KmsDashboard.Core.Dependents;

/// <summary>Remembers since when each thing (a Region's read, a bucket) has been failing, until it next succeeds.</summary>
internal sealed class FailureClock
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _since = new(StringComparer.Ordinal);

    public DateTimeOffset Failed(string what, DateTimeOffset now) => _since.GetOrAdd(what, now);

    public void Succeeded(string what) => _since.TryRemove(what, out _);
}
