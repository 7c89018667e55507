namespace KmsDashboard.Core.Drills;

/// <summary>One stored drill: the columns it is looked up by, and the whole result as JSON.</summary>
internal sealed class DrillRecord
{
    public Guid Id { get; set; }
    public string KeyId { get; set; } = "";
    /// <summary>The key set's account ("" in the single-account set-up, and in rows written before accounts: the dashboard's own).</summary>
    public string Account { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>UTC.</summary>
    public DateTime StartedAt { get; set; }
    /// <summary>UTC.</summary>
    public DateTime CompletedAt { get; set; }
    public string User { get; set; } = "";
    public bool PrimaryDown { get; set; }
    public bool EveryRegionServesAlone { get; set; }
    public string Result { get; set; } = "{}";
}
