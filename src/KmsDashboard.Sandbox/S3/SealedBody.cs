using System.Security.Cryptography;

namespace KmsDashboard.Sandbox.S3;

/// <summary>
/// An object body as stored: AES-256-GCM segments (one per PutObject, one per part of a multipart upload) under the
/// object's data key, which is kept only wrapped (by KMS for SSE-KMS, by S3's own key for SSE-S3).
/// </summary>
internal sealed class SealedBody
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private SealedBody(IReadOnlyList<Segment> segments) => Segments = segments;

    public IReadOnlyList<Segment> Segments { get; }
    public long Length => Segments.Sum(s => (long)s.Ciphertext.Length);

    public static SealedBody Seal(byte[] dataKey, ReadOnlySpan<byte> plaintext) => new([Encrypt(dataKey, plaintext)]);

    public static SealedBody Join(IEnumerable<SealedBody> parts) => new([.. parts.SelectMany(p => p.Segments)]);

    public static Segment Encrypt(byte[] dataKey, ReadOnlySpan<byte> plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var tag = new byte[TagSize];
        var ciphertext = new byte[plaintext.Length];
        using var aes = new AesGcm(dataKey, TagSize);
        aes.Encrypt(nonce, plaintext, ciphertext, tag);
        return new Segment(nonce, tag, ciphertext);
    }

    public byte[] Open(byte[] dataKey)
    {
        var plaintext = new byte[Length];
        var offset = 0;
        using var aes = new AesGcm(dataKey, TagSize);
        foreach (var segment in Segments)
        {
            aes.Decrypt(segment.Nonce, segment.Ciphertext, segment.Tag, plaintext.AsSpan(offset, segment.Ciphertext.Length));
            offset += segment.Ciphertext.Length;
        }
        return plaintext;
    }

    public sealed record Segment(byte[] Nonce, byte[] Tag, byte[] Ciphertext);
}
