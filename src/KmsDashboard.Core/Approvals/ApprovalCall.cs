namespace KmsDashboard.Core.Approvals;

/// <summary>One AWS call a request would make, as the requester saw it.</summary>
public sealed record ApprovalCall(int Step, string Region, string Operation, string Parameters, string Purpose);
