namespace KmsDashboard.Core.Inventory;

/// <summary>One difference between a replica and its primary: which property, in which Region, and how.</summary>
public sealed record DriftItem(string Region, DriftProperty Property, string Detail);
