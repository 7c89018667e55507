namespace KmsDashboard.Core.Usage;

/// <summary>A key with no successful requests in 30 (or 90) days: a candidate for clean-up.</summary>
public sealed record IdleKey(string Region, string KeyId, string Name, string State, DateTimeOffset? LastUsedDay, int IdleAtLeastDays, decimal MonthlyCost)
{
    /// <summary>The key's account: "" in the single-account set-up.</summary>
    public string Account { get; init; } = "";
}
