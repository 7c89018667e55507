namespace KmsDashboard.Sandbox.Kms;

/// <summary>The last successful cryptographic use of a key in its Region (GetKeyLastUsage).</summary>
internal sealed record KeyLastUsage(string Operation, DateTimeOffset Timestamp, string CloudTrailEventId, string KmsRequestId);
