namespace KmsDashboard.Core.Audit;

/// <summary>How one Region's part of a search or export went.</summary>
public sealed record AuditRegionOutcome(string Region, int Events, int Pages, bool Truncated, string? Error);
