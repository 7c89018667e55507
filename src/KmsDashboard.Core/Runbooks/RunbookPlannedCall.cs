namespace KmsDashboard.Core.Runbooks;

/// <summary>One AWS call a step will make, as shown before it runs.</summary>
public sealed record RunbookPlannedCall(string Region, string Operation, string Parameters, string Purpose);
