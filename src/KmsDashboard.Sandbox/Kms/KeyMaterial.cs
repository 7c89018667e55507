using System.Security.Cryptography;

namespace KmsDashboard.Sandbox.Kms;

/// <summary>One generation of a key's secret: a 64-hex id (as KMS reports it) and the bytes.</summary>
internal sealed record KeyMaterial(string Id, byte[] Bytes, DateTimeOffset Created)
{
    public static KeyMaterial Generate(int length, DateTimeOffset created, Random? seeded = null)
    {
        var id = new byte[32];
        var bytes = new byte[length];
        if (seeded is null)
        {
            RandomNumberGenerator.Fill(id);
            RandomNumberGenerator.Fill(bytes);
        }
        else
        {
            seeded.NextBytes(id);
            seeded.NextBytes(bytes);
        }
        return new KeyMaterial(Convert.ToHexStringLower(id), bytes, created);
    }
}
