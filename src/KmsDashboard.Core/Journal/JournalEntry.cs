namespace KmsDashboard.Core.Journal;

/// <summary>One attempted action, as stored: who, when, what, with which inputs and plan, and how each call went.</summary>
public sealed class JournalEntry
{
    public long Id { get; set; }
    /// <summary>UTC.</summary>
    public DateTime At { get; set; }
    /// <summary>The display name at the time (it may change; <see cref="UserId"/> does not).</summary>
    public string User { get; set; } = "";
    /// <summary>The stable identity: <c>oidc|issuer|sub</c> or <c>local|name</c>; empty on entries written before it was kept.</summary>
    public string UserId { get; set; } = "";
    public string Roles { get; set; } = "";
    public string Action { get; set; } = "";
    public string KeyId { get; set; } = "";
    /// <summary>The Region the action was asked in.</summary>
    public string Region { get; set; } = "";
    /// <summary>InProgress while its calls are sent; then Succeeded, PartiallySucceeded, Failed, Unknown, Cancelled, Interrupted or Refused.</summary>
    public string Outcome { get; set; } = "";
    public string Summary { get; set; } = "";
    /// <summary>The request as the user gave it (JSON).</summary>
    public string Inputs { get; set; } = "{}";
    /// <summary>The plan the user confirmed: blast radius, notes and the calls Region by Region (JSON).</summary>
    public string Plan { get; set; } = "{}";
    public List<JournalCall> Calls { get; set; } = [];

    /// <summary>
    /// The instance that opened the entry (<see cref="ActionJournal.Instance"/>): while it lives, its entries still
    /// InProgress are its own work, not interrupted ones; empty on entries written before it was kept.
    /// </summary>
    public string Owner { get; set; } = "";

    /// <summary>The <see cref="Hash"/> of the entry before this one (the chain); empty for the first.</summary>
    public string PreviousHash { get; set; } = "";
    /// <summary>SHA-256 of <see cref="PreviousHash"/> and what the entry opened with (who, when, what, inputs, plan). Empty on entries older than the chain.</summary>
    public string Hash { get; set; } = "";
    /// <summary>SHA-256 of <see cref="Hash"/> and the entry's current outcome, summary and calls, renewed at every update.</summary>
    public string Seal { get; set; } = "";
}
