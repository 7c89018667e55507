namespace KmsDashboard.Core.Actions;

/// <summary>How one planned call went in its Region, with AWS's request id when AWS answered.</summary>
public sealed record CallOutcome(int Step, string Region, string Operation, CallStatus Status, string Message, string? RequestId);
