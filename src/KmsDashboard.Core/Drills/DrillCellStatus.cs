namespace KmsDashboard.Core.Drills;

/// <summary>How one cell of the drill matrix went.</summary>
public enum DrillCellStatus
{
    /// <summary>The call succeeded (and a Decrypt gave back the data key that was generated).</summary>
    Ok,
    /// <summary>The call failed; the cell names the error.</summary>
    Failed,
    /// <summary>Not tried because the source Region produced no ciphertext: a failure of the source's row.</summary>
    NotAttempted,
    /// <summary>Left out on purpose: the primary's Region in "primary down" mode.</summary>
    Skipped,
}
