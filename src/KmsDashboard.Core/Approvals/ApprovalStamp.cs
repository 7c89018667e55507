namespace KmsDashboard.Core.Approvals;

/// <summary>
/// Who asked for and who approved the run of a destructive plan (the two-person rule). Set only by
/// <see cref="ApprovalService"/> on the plan it runs; the guarded path refuses a destructive plan without one when
/// <c>Safety:RequireApproval</c> is on, and the journal entry of the run names both people.
/// </summary>
public sealed record ApprovalStamp(Guid RequestId, string RequestedBy, string RequestedById, DateTimeOffset RequestedAt,
    string ApprovedBy, string ApprovedById, DateTimeOffset ApprovedAt)
{
    /// <summary>Appended to the journal summary of the run.</summary>
    public string Sentence => $"Requested by {RequestedBy} ({RequestedById}), approved by {ApprovedBy} ({ApprovedById}); approval request {RequestId}.";
}
