namespace KmsDashboard.Core.Runbooks;

/// <summary>
/// One AWS call a step made, written before it is sent (State Sent) and completed after (Succeeded / Failed), so a crash
/// between the two is visible on resume and the step can find what the call did instead of repeating it.
/// </summary>
public sealed class RunbookCallRecord
{
    public long Id { get; set; }
    public Guid RunbookId { get; set; }
    public int StepIndex { get; set; }
    public string Region { get; set; } = "";
    public string Operation { get; set; } = "";
    public string Parameters { get; set; } = "";
    /// <summary>Sent (intent recorded, no answer yet), Succeeded or Failed.</summary>
    public string State { get; set; } = "";
    public string Message { get; set; } = "";
    public string? RequestId { get; set; }
    public string? UserName { get; set; }
    /// <summary>UTC.</summary>
    public DateTime SentAt { get; set; }
    /// <summary>UTC.</summary>
    public DateTime? AnsweredAt { get; set; }
}
