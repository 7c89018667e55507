namespace KmsDashboard.Core.Approvals;

/// <summary>One approval request as stored (a row in <c>approval_requests</c>).</summary>
internal sealed class ApprovalRecord
{
    public Guid Id { get; set; }
    public ApprovalKind Kind { get; set; }
    /// <summary>The key action's name, or the runbook's journal action (<c>Runbook.{kind}.{step}</c>).</summary>
    public string Action { get; set; } = "";
    public string Title { get; set; } = "";
    public string KeyId { get; set; } = "";
    public string Region { get; set; } = "";
    /// <summary>The key action's request (JSON), or the runbook step's options (JSON).</summary>
    public string Inputs { get; set; } = "{}";
    /// <summary>What the requester saw: calls, blast radius, notes (JSON, <see cref="ApprovalPreview"/>).</summary>
    public string Preview { get; set; } = "{}";
    /// <summary>What may be typed to confirm (JSON array).</summary>
    public string ConfirmationTexts { get; set; } = "[]";
    public string TypedByRequester { get; set; } = "";
    public Guid? RunbookId { get; set; }
    public int? StepIndex { get; set; }
    public string? StepName { get; set; }
    public string RequestedById { get; set; } = "";
    public string RequestedByName { get; set; } = "";
    /// <summary>UTC.</summary>
    public DateTime RequestedAt { get; set; }
    /// <summary>UTC.</summary>
    public DateTime ExpiresAt { get; set; }
    public ApprovalStatus Status { get; set; }
    public string? DecidedById { get; set; }
    public string? DecidedByName { get; set; }
    /// <summary>UTC.</summary>
    public DateTime? DecidedAt { get; set; }
    /// <summary>A rejection's reason, or why the request was invalidated.</summary>
    public string? Reason { get; set; }
    /// <summary>The run's outcome (Succeeded, PartiallySucceeded, Failed, Refused…) once executed.</summary>
    public string? Outcome { get; set; }
    public string? OutcomeSummary { get; set; }
    public long? JournalEntryId { get; set; }
}
