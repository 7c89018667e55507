using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace KmsDashboard.Sandbox.Kms;

/// <summary>
/// The sandbox's symmetric ciphertext: AES-256-GCM under one generation of key material, with the key id and the
/// key material id in a header, so Decrypt needs no KeyId, related multi-Region keys decrypt each other's
/// ciphertext, and old ciphertext survives rotation. The header and the encryption context are the associated data.
/// Layout: version(1) | keyIdLength(1) | keyId | materialId(32) | nonce(12) | tag(16) | ciphertext.
/// </summary>
internal sealed record CiphertextBlob(string KeyId, string KeyMaterialId, byte[] Nonce, byte[] Tag, byte[] Ciphertext)
{
    private const byte Version = 0x01;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static byte[] Encrypt(string keyId, KeyMaterial material, byte[] plaintext, IReadOnlyDictionary<string, string>? context)
    {
        var header = Header(keyId, material.Id);
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var tag = new byte[TagSize];
        var ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(material.Bytes, TagSize))
            aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData(header, context));
        return [.. header, .. nonce, .. tag, .. ciphertext];
    }

    /// <summary>Reads the header; any blob the sandbox did not make is InvalidCiphertextException.</summary>
    public static CiphertextBlob Parse(byte[] blob)
    {
        if (blob.Length < 2 || blob[0] != Version) throw KmsErrors.InvalidCiphertext();
        var idLength = blob[1];
        var headerLength = 2 + idLength + 32;
        if (idLength == 0 || blob.Length < headerLength + NonceSize + TagSize) throw KmsErrors.InvalidCiphertext();
        var keyId = Encoding.ASCII.GetString(blob, 2, idLength);
        var materialId = Convert.ToHexStringLower(blob, 2 + idLength, 32);
        return new CiphertextBlob(keyId, materialId,
            blob[headerLength..(headerLength + NonceSize)],
            blob[(headerLength + NonceSize)..(headerLength + NonceSize + TagSize)],
            blob[(headerLength + NonceSize + TagSize)..]);
    }

    public byte[] Decrypt(KeyMaterial material, IReadOnlyDictionary<string, string>? context)
    {
        var plaintext = new byte[Ciphertext.Length];
        try
        {
            using var aes = new AesGcm(material.Bytes, TagSize);
            aes.Decrypt(Nonce, Ciphertext, Tag, plaintext, AssociatedData(Header(KeyId, KeyMaterialId), context));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw KmsErrors.InvalidCiphertext();
        }
        return plaintext;
    }

    private static byte[] Header(string keyId, string materialId)
    {
        var id = Encoding.ASCII.GetBytes(keyId);
        return [Version, (byte)id.Length, .. id, .. Convert.FromHexString(materialId)];
    }

    /// <summary>Header plus the encryption context in a canonical (ordinal-sorted, length-prefixed) form.</summary>
    private static byte[] AssociatedData(byte[] header, IReadOnlyDictionary<string, string>? context)
    {
        using var stream = new MemoryStream();
        stream.Write(header);
        foreach (var (key, value) in (context ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            WriteString(stream, key);
            WriteString(stream, value);
        }
        return stream.ToArray();
    }

    private static void WriteString(Stream stream, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        stream.Write(length);
        stream.Write(bytes);
    }
}
