namespace KmsDashboard.Sandbox.Kms;

/// <summary>
/// What related keys share: one per single-Region key, one per set of related multi-Region keys (the primary and
/// its replicas). Key material, key spec, usage, origin and automatic rotation live here, so they never drift.
/// </summary>
internal sealed class KeyFamily(string keyId, bool multiRegion, string keySpec, string keyUsage, string origin, string primaryRegion)
{
    public string KeyId { get; } = keyId;
    public bool MultiRegion { get; } = multiRegion;
    public string KeySpec { get; } = keySpec;
    public string KeyUsage { get; } = keyUsage;
    public string Origin { get; } = origin;
    public string PrimaryRegion { get; set; } = primaryRegion;

    /// <summary>Every generation of key material, oldest first; the last is current. Empty for asymmetric keys.</summary>
    public List<KeyMaterial> Materials { get; } = [];
    public KeyMaterial? CurrentMaterial => Materials.Count == 0 ? null : Materials[^1];

    public bool RotationEnabled { get; set; }
    public int? RotationPeriodInDays { get; set; }
    public DateTimeOffset? NextRotationDate { get; set; }
    public int OnDemandRotations { get; set; }
    public List<KeyRotation> Rotations { get; } = [];

    /// <summary>The related keys, in the order they were created (primary first until the primary Region moves).</summary>
    public List<KmsKey> Members { get; } = [];

    public KmsKey? Primary => Members.FirstOrDefault(m => m.Region == PrimaryRegion);
    public IEnumerable<KmsKey> Replicas => Members.Where(m => m.Region != PrimaryRegion);

    public bool IsSymmetricEncryption => KeySpec == KeySpecs.SymmetricDefault;

    public KeyMaterial? FindMaterial(string id) => Materials.FirstOrDefault(m => m.Id == id);
}
