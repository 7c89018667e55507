namespace KmsDashboard.Core.Inventory;

/// <summary>
/// One key in one Region (of one account: "" in the single-account set-up): what a page links to and what actions ask
/// the inventory to re-read.
/// </summary>
public readonly record struct KeyRef(string Region, string KeyId, string Account = "")
{
    public override string ToString() => Account is { Length: > 0 } ? $"{KeyId} ({Region}, account {Account})" : $"{KeyId} ({Region})";
}
