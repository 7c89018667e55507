namespace KmsDashboard.Core.Inventory;

/// <summary>One key in one Region: what a page links to and what actions ask the inventory to re-read.</summary>
public readonly record struct KeyRef(string Region, string KeyId)
{
    public override string ToString() => $"{KeyId} ({Region})";
}
