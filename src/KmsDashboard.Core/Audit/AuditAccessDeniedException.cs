namespace KmsDashboard.Core.Audit;

/// <summary>The signed-in user may not see or export CloudTrail activity (needs the Auditor or Admin role).</summary>
public sealed class AuditAccessDeniedException(string message) : UnauthorizedAccessException(message);
