namespace KmsDashboard.Core.Rotation;

/// <summary>
/// The check in one Region after an on-demand rotation: the Region's current key material, a fresh Encrypt/Decrypt
/// round trip (decrypted by the new material?) and the ciphertext made before the rotation (still decrypts, by the old material?).
/// </summary>
public sealed record RegionRoundTrip(
    string Region,
    string? CurrentKeyMaterialId,
    bool NewMaterialWorks,
    string? NewRoundTripMaterialId,
    string NewRoundTripMessage,
    bool OldCiphertextDecrypts,
    string? OldCiphertextMaterialId,
    string OldCiphertextMessage)
{
    public bool Verified => NewMaterialWorks && OldCiphertextDecrypts;
}
