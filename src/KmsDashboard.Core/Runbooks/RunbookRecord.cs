namespace KmsDashboard.Core.Runbooks;

/// <summary>One run of a runbook, as stored: its kind, inputs, who started it, where it stands, and who holds its lease.</summary>
public sealed class RunbookRecord
{
    public Guid Id { get; set; }
    /// <summary>The definition's kind, e.g. ManualRotation or Retire.</summary>
    public string Kind { get; set; } = "";
    public string Title { get; set; } = "";
    /// <summary>The key the runbook is about (the old key set for a rotation).</summary>
    public string KeyId { get; set; } = "";
    /// <summary>The account it works in; "" for the single account (and for runbooks stored before accounts: the dashboard's own).</summary>
    public string Account { get; set; } = "";
    /// <summary>The inputs as given at the start (JSON).</summary>
    public string Inputs { get; set; } = "{}";
    /// <summary>What the steps found and made so far (JSON): new key id, aliases moved, stored ciphertext, waiting period…</summary>
    public string State { get; set; } = "{}";
    /// <summary>The starter's stable id (OIDC sub / name identifier) and display name.</summary>
    public string StartedById { get; set; } = "";
    public string StartedByName { get; set; } = "";
    /// <summary>UTC.</summary>
    public DateTime CreatedAt { get; set; }
    /// <summary>UTC.</summary>
    public DateTime UpdatedAt { get; set; }
    /// <summary>The index of the next step to run (0 when none is left).</summary>
    public int CurrentStep { get; set; }
    public RunbookStatus Status { get; set; }
    public string? LeaseHolderId { get; set; }
    public string? LeaseHolderName { get; set; }
    /// <summary>UTC.</summary>
    public DateTime? LeaseSince { get; set; }
    /// <summary>UTC; an expired lease may be taken by anyone allowed to run the step.</summary>
    public DateTime? LeaseExpires { get; set; }
    public List<RunbookStepRecord> Steps { get; set; } = [];
}
