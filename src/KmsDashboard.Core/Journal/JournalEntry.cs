namespace KmsDashboard.Core.Journal;

/// <summary>One attempted action, as stored: who, when, what, with which inputs and plan, and how each call went.</summary>
public sealed class JournalEntry
{
    public long Id { get; set; }
    /// <summary>UTC.</summary>
    public DateTime At { get; set; }
    public string User { get; set; } = "";
    public string Roles { get; set; } = "";
    public string Action { get; set; } = "";
    public string KeyId { get; set; } = "";
    /// <summary>The Region the action was asked in.</summary>
    public string Region { get; set; } = "";
    /// <summary>Succeeded, PartiallySucceeded, Failed or Refused.</summary>
    public string Outcome { get; set; } = "";
    public string Summary { get; set; } = "";
    /// <summary>The request as the user gave it (JSON).</summary>
    public string Inputs { get; set; } = "{}";
    /// <summary>The plan the user confirmed: blast radius, notes and the calls Region by Region (JSON).</summary>
    public string Plan { get; set; } = "{}";
    public List<JournalCall> Calls { get; set; } = [];
}
