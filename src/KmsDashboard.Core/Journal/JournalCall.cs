namespace KmsDashboard.Core.Journal;

/// <summary>One AWS call of a journaled action and how it went in its Region.</summary>
public sealed class JournalCall
{
    public long Id { get; set; }
    public long JournalEntryId { get; set; }
    public int Step { get; set; }
    public string Region { get; set; } = "";
    public string Operation { get; set; } = "";
    /// <summary>
    /// Pending (not sent yet), Sending (in flight), Succeeded, Failed, Skipped (not sent: an earlier call failed, or the
    /// action was cancelled) or Unknown (no answer: it may or may not have taken effect — verify).
    /// </summary>
    public string Status { get; set; } = "";
    public string Message { get; set; } = "";
    /// <summary>The AWS request id (x-amzn-RequestId), when AWS answered.</summary>
    public string? RequestId { get; set; }
    /// <summary>For a call whose outcome was not known (interrupted, timed out): Done, NotDone or Unknown, found by re-reading the key.</summary>
    public string? Verification { get; set; }
    /// <summary>What the re-read found, and when.</summary>
    public string? VerificationNote { get; set; }
}
