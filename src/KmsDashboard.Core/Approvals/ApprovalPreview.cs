namespace KmsDashboard.Core.Approvals;

/// <summary>The plan as the requester confirmed it: its calls, blast radius, notes and warnings.</summary>
public sealed record ApprovalPreview
{
    public IReadOnlyList<ApprovalCall> Calls { get; init; } = [];
    public IReadOnlyList<string> BlastRadius { get; init; } = [];
    public IReadOnlyList<string> Notes { get; init; } = [];
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
