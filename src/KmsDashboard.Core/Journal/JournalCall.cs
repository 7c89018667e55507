namespace KmsDashboard.Core.Journal;

/// <summary>One AWS call of a journaled action and how it went in its Region.</summary>
public sealed class JournalCall
{
    public long Id { get; set; }
    public long JournalEntryId { get; set; }
    public int Step { get; set; }
    public string Region { get; set; } = "";
    public string Operation { get; set; } = "";
    /// <summary>Succeeded, Failed or Skipped.</summary>
    public string Status { get; set; } = "";
    public string Message { get; set; } = "";
    /// <summary>The AWS request id (x-amzn-RequestId), when AWS answered.</summary>
    public string? RequestId { get; set; }
}
