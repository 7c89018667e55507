namespace KmsDashboard.Core.Runbooks;

/// <summary>One step of a runbook, as stored: its state, last plan, per-Region results and timestamps.</summary>
public sealed class RunbookStepRecord
{
    public long Id { get; set; }
    public Guid RunbookId { get; set; }
    /// <summary>1-based position; rollback and extra steps are appended after the definition's steps.</summary>
    public int Index { get; set; }
    /// <summary>The step's name in its definition, e.g. replicate.</summary>
    public string Name { get; set; } = "";
    public string Title { get; set; } = "";
    /// <summary>Forward, Rollback or Extra (re-enable, cancel deletion).</summary>
    public string Phase { get; set; } = RunbookPhases.Forward;
    public RunbookStepState State { get; set; }
    /// <summary>The last plan shown (JSON), its id and who made it.</summary>
    public string? Plan { get; set; }
    public Guid? PlanId { get; set; }
    public string? PlannedById { get; set; }
    /// <summary>UTC.</summary>
    public DateTime? PlannedAt { get; set; }
    /// <summary>Per-Region results (JSON list of <see cref="RegionResult"/>).</summary>
    public string Regions { get; set; } = "[]";
    public string Summary { get; set; } = "";
    public string? Error { get; set; }
    /// <summary>UTC.</summary>
    public DateTime? StartedAt { get; set; }
    /// <summary>UTC.</summary>
    public DateTime? FinishedAt { get; set; }
    public string? RunById { get; set; }
    public string? RunByName { get; set; }
}
