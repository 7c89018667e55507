namespace KmsDashboard.Core.Approvals;

/// <summary>An approval request as pages show it.</summary>
public sealed record ApprovalRequest(
    Guid Id, ApprovalKind Kind, string Action, string Title, string KeyId, string Region, ApprovalPreview Preview,
    IReadOnlyList<string> ConfirmationTexts, Guid? RunbookId, int? StepIndex,
    string RequestedById, string RequestedByName, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt, ApprovalStatus Status,
    string? DecidedById, string? DecidedByName, DateTimeOffset? DecidedAt, string? Reason, string? Outcome, string? OutcomeSummary, long? JournalEntryId)
{
    /// <summary>The account the key is in, as the request recorded it; "" for the default account.</summary>
    public string Account { get; init; } = "";

    /// <summary>Whether a typed key id or alias is needed to approve (destructive plans).</summary>
    public bool RequiresTypedConfirmation => ConfirmationTexts.Count > 0;

    public bool IsPending => Status == ApprovalStatus.Pending;

    /// <summary>Whether <paramref name="typed"/> names the key (the key id, or an alias, with or without <c>alias/</c>).</summary>
    public bool IsConfirmedBy(string? typed) =>
        !RequiresTypedConfirmation || (typed is not null && (ConfirmationTexts.Contains(typed.Trim(), StringComparer.Ordinal)
            || ConfirmationTexts.Contains("alias/" + typed.Trim(), StringComparer.Ordinal)));
}
