namespace KmsDashboard.Sandbox.Kms;

/// <summary>One completed rotation, as ListKeyRotations reports it.</summary>
internal sealed record KeyRotation(string KeyMaterialId, DateTimeOffset RotationDate, string RotationType);
