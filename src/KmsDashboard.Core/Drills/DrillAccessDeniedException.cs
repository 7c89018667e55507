namespace KmsDashboard.Core.Drills;

/// <summary>The user may not start (Operator, Admin) or read (any dashboard role) failover drills.</summary>
public sealed class DrillAccessDeniedException(string message) : UnauthorizedAccessException(message);
