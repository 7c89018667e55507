using System.Buffers.Binary;
using System.Security.Cryptography;

namespace KmsDashboard.Sandbox.S3;

/// <summary>
/// The flexible checksums S3 verifies on upload (<c>x-amz-checksum-*</c> headers or aws-chunked trailers): CRC32,
/// CRC32C, CRC64NVME, SHA1 and SHA256, each sent as the base64 of its big-endian digest.
/// </summary>
internal static class Checksums
{
    public static readonly string[] Algorithms = ["crc32", "crc32c", "crc64nvme", "sha1", "sha256"];

    private static readonly uint[] Crc32Table = Table32(0xEDB88320u);
    private static readonly uint[] Crc32CTable = Table32(0x82F63B78u);
    private static readonly ulong[] Crc64NvmeTable = Table64(0x9A6C9329AC4BC9B5ul);

    public static bool IsKnown(string algorithm) => Algorithms.Contains(algorithm);

    public static string Compute(string algorithm, ReadOnlySpan<byte> data)
    {
        byte[] digest;
        switch (algorithm)
        {
            case "crc32":
                digest = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(digest, Crc32(Crc32Table, data));
                break;
            case "crc32c":
                digest = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(digest, Crc32(Crc32CTable, data));
                break;
            case "crc64nvme":
                digest = new byte[8];
                BinaryPrimitives.WriteUInt64BigEndian(digest, Crc64(data));
                break;
            case "sha1":
                digest = SHA1.HashData(data);
                break;
            case "sha256":
                digest = SHA256.HashData(data);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Not a checksum algorithm S3 knows.");
        }
        return Convert.ToBase64String(digest);
    }

    private static uint Crc32(uint[] table, ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static ulong Crc64(ReadOnlySpan<byte> data)
    {
        var crc = ulong.MaxValue;
        foreach (var b in data) crc = Crc64NvmeTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] Table32(uint polynomial)
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? polynomial ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }

    private static ulong[] Table64(ulong polynomial)
    {
        var table = new ulong[256];
        for (ulong i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? polynomial ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }
}
