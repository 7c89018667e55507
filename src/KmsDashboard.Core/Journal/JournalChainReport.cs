namespace KmsDashboard.Core.Journal;

/// <summary>Whether the journal's hash chain holds: entries checked, the first break and why, and the head hash to note down.</summary>
public sealed record JournalChainReport(bool Holds, int Checked, int Unchained, long? BrokenAtEntry, string? Reason, string HeadHash)
{
    public string Summary => Holds
        ? $"Chain holds over {Checked} entr{(Checked == 1 ? "y" : "ies")}{(Unchained > 0 ? $" ({Unchained} older entries predate the chain)" : "")}; head hash {(HeadHash.Length == 0 ? "(none)" : HeadHash)}."
        : $"Chain BROKEN at entry #{BrokenAtEntry}: {Reason}.";
}
