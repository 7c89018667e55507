namespace KmsDashboard.Core.Drills;

/// <summary>One timed KMS call of a drill: how it went, how long it took (retries included), and AWS's request id.</summary>
public sealed record DrillCall(string Region, string Operation, bool Ok, double LatencyMs, string? ErrorCode, string Message, string? RequestId);
