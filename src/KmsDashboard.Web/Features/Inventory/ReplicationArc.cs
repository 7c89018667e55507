namespace KmsDashboard.Web.Features.Inventory;

/// <summary>Key sets whose primary is in <see cref="From"/> with a replica in <see cref="To"/>.</summary>
public sealed record ReplicationArc(string From, string To, int KeySets);
