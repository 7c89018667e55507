using System.Collections.Concurrent;
using KmsDashboard.Core.Audit;

namespace KmsDashboard.Web.Features.Audit;

/// <summary>
/// Exports in progress, by the id the page puts in the download URL: the page polls their progress and can cancel
/// them while the browser receives the file. Finished exports are forgotten after a few minutes.
/// </summary>
public sealed class AuditExportTracker
{
    private readonly ConcurrentDictionary<string, Entry> _exports = new(StringComparer.Ordinal);

    public sealed class Entry(string user) : IProgress<AuditExportProgress>
    {
        public string User { get; } = user;
        public CancellationTokenSource Cancel { get; } = new();
        public AuditExportProgress? Progress { get; private set; }
        public AuditExportResult? Result { get; set; }
        public string? Error { get; set; }
        public bool Finished { get; set; }
        public DateTimeOffset FinishedAt { get; set; }
        public void Report(AuditExportProgress value) => Progress = value;
    }

    public Entry Start(string id, string user)
    {
        foreach (var (key, old) in _exports)
            if (old.Finished && old.FinishedAt < DateTimeOffset.UtcNow.AddMinutes(-10)) _exports.TryRemove(key, out _);
        return _exports[id] = new Entry(user);
    }

    /// <summary>The export with this id, if the same user started it.</summary>
    public Entry? Find(string id, string user) => _exports.TryGetValue(id, out var entry) && entry.User == user ? entry : null;

    public void Finish(string id)
    {
        if (!_exports.TryGetValue(id, out var entry)) return;
        entry.Finished = true;
        entry.FinishedAt = DateTimeOffset.UtcNow;
    }
}
