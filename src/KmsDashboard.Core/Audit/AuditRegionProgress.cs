namespace KmsDashboard.Core.Audit;

/// <summary>One Region of a running search: pages read, events read and kept (after the checks made here), finished or failed.</summary>
public sealed record AuditRegionProgress(string Region, int Pages, int EventsRead, int EventsKept, bool Done, string? Error);
