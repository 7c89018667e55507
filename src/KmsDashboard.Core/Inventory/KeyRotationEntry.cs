namespace KmsDashboard.Core.Inventory;

/// <summary>One entry of <c>ListKeyRotations</c>: new key material, made on schedule or on demand.</summary>
public sealed record KeyRotationEntry(string KeyMaterialId, DateTimeOffset? RotationDate, bool OnDemand);
