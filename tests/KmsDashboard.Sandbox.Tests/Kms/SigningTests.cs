using System.Security.Cryptography;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace KmsDashboard.Sandbox.Tests.Kms;

/// <summary>Sign, Verify, GetPublicKey, GenerateMac and VerifyMac: signatures anyone can check with the public key.</summary>
public sealed class SigningTests
{
    private static readonly byte[] Message = "release 4.2 manifest"u8.ToArray();

    private static async Task<string> CreateAsync(SandboxHarness sandbox, string region, KeySpec spec, KeyUsageType usage, bool multiRegion = false) =>
        (await sandbox.Kms(region).CreateKeyAsync(new CreateKeyRequest { KeySpec = spec, KeyUsage = usage, MultiRegion = multiRegion })).KeyMetadata.KeyId;

    private static async Task<byte[]> SignAsync(SandboxHarness sandbox, string region, string keyId, byte[] message, SigningAlgorithmSpec algorithm, MessageType? type = null) =>
        (await sandbox.Kms(region).SignAsync(new SignRequest { KeyId = keyId, Message = new MemoryStream(message), SigningAlgorithm = algorithm, MessageType = type ?? MessageType.RAW }))
        .Signature.ToArray();

    private static async Task<byte[]> PublicKeyAsync(SandboxHarness sandbox, string region, string keyId) =>
        (await sandbox.Kms(region).GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = keyId })).PublicKey.ToArray();

    [Fact]
    public async Task AnEcdsaSignatureChecksOutWithThePublicKeyAndKmsVerifyRefusesATamperedMessage()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var keyId = await CreateAsync(sandbox, "us-east-1", KeySpec.ECC_NIST_P256, KeyUsageType.SIGN_VERIFY);

        var signature = await SignAsync(sandbox, "us-east-1", keyId, Message, SigningAlgorithmSpec.ECDSA_SHA_256);
        var publicKey = await sandbox.Kms("us-east-1").GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = keyId });

        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(publicKey.PublicKey.ToArray(), out _);
        Assert.True(ecdsa.VerifyData(Message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.Equal(KeySpec.ECC_NIST_P256, publicKey.KeySpec);
        Assert.Equal([SigningAlgorithmSpec.ECDSA_SHA_256], publicKey.SigningAlgorithms);
        var verified = await sandbox.Kms("us-east-1").VerifyAsync(new VerifyRequest
        {
            KeyId = keyId, Message = new MemoryStream(Message), Signature = new MemoryStream(signature), SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256,
        });
        Assert.True(verified.SignatureValid);
        await KmsAssert.FailsWithAsync("KMSInvalidSignatureException", () => sandbox.Kms("us-east-1").VerifyAsync(new VerifyRequest
        {
            KeyId = keyId, Message = new MemoryStream("release 4.3 manifest"u8.ToArray()), Signature = new MemoryStream(signature),
            SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256,
        }));
    }

    [Fact]
    public async Task AnRsaPssSignatureOfADigestChecksOutWithThePublicKey()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var keyId = await CreateAsync(sandbox, "eu-west-1", KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY);
        var digest = SHA256.HashData(Message);

        var signature = await SignAsync(sandbox, "eu-west-1", keyId, digest, SigningAlgorithmSpec.RSASSA_PSS_SHA_256, MessageType.DIGEST);

        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(await PublicKeyAsync(sandbox, "eu-west-1", keyId), out _);
        Assert.True(rsa.VerifyData(Message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        await KmsAssert.FailsWithAsync("ValidationException", () => SignAsync(sandbox, "eu-west-1", keyId, [1, 2, 3], SigningAlgorithmSpec.RSASSA_PSS_SHA_256, MessageType.DIGEST));
    }

    [Fact]
    public async Task RelatedMultiRegionKeysShareTheirKeyPair()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var keyId = await CreateAsync(sandbox, "us-east-1", KeySpec.ECC_NIST_P384, KeyUsageType.SIGN_VERIFY, multiRegion: true);
        await sandbox.Kms("us-east-1").ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = keyId, ReplicaRegion = "ap-southeast-2" });
        sandbox.Advance(TimeSpan.FromMinutes(1));

        var signature = await SignAsync(sandbox, "ap-southeast-2", keyId, Message, SigningAlgorithmSpec.ECDSA_SHA_384);

        Assert.Equal(await PublicKeyAsync(sandbox, "us-east-1", keyId), await PublicKeyAsync(sandbox, "ap-southeast-2", keyId));
        var verified = await sandbox.Kms("us-east-1").VerifyAsync(new VerifyRequest
        {
            KeyId = keyId, Message = new MemoryStream(Message), Signature = new MemoryStream(signature), SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_384,
        });
        Assert.True(verified.SignatureValid);
    }

    [Fact]
    public async Task WrongKeysAlgorithmsAndStatesAreRefused()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var symmetric = (await sandbox.CreateKeyAsync("us-east-1")).KeyId;
        var ecc = await CreateAsync(sandbox, "us-east-1", KeySpec.ECC_NIST_P256, KeyUsageType.SIGN_VERIFY);
        var rsaEncryption = await CreateAsync(sandbox, "us-east-1", KeySpec.RSA_2048, KeyUsageType.ENCRYPT_DECRYPT);

        await KmsAssert.FailsWithAsync("InvalidKeyUsageException", () => SignAsync(sandbox, "us-east-1", symmetric, Message, SigningAlgorithmSpec.ECDSA_SHA_256));
        await KmsAssert.FailsWithAsync("InvalidKeyUsageException", () => SignAsync(sandbox, "us-east-1", rsaEncryption, Message, SigningAlgorithmSpec.RSASSA_PSS_SHA_256));
        await KmsAssert.FailsWithAsync("InvalidKeyUsageException", () => SignAsync(sandbox, "us-east-1", ecc, Message, SigningAlgorithmSpec.ECDSA_SHA_384));
        await KmsAssert.FailsWithAsync("UnsupportedOperationException", () => PublicKeyAsync(sandbox, "us-east-1", symmetric));
        Assert.NotEmpty(await PublicKeyAsync(sandbox, "us-east-1", rsaEncryption));
        await sandbox.Kms("us-east-1").DisableKeyAsync(new DisableKeyRequest { KeyId = ecc });
        await KmsAssert.FailsWithAsync("DisabledException", () => SignAsync(sandbox, "us-east-1", ecc, Message, SigningAlgorithmSpec.ECDSA_SHA_256));
    }

    [Fact]
    public async Task AnHmacKeysMacIsTheHmacOfItsMaterialAndVerifyMacRefusesAnotherMac()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var keyId = await CreateAsync(sandbox, "us-west-2", KeySpec.HMAC_256, KeyUsageType.GENERATE_VERIFY_MAC);
        var kms = sandbox.Kms("us-west-2");

        var mac = (await kms.GenerateMacAsync(new GenerateMacRequest { KeyId = keyId, Message = new MemoryStream(Message), MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256 })).Mac.ToArray();

        Assert.Equal(32, mac.Length);
        Assert.Equal(mac, (await kms.GenerateMacAsync(new GenerateMacRequest { KeyId = keyId, Message = new MemoryStream(Message), MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256 })).Mac.ToArray());
        Assert.True((await kms.VerifyMacAsync(new VerifyMacRequest { KeyId = keyId, Message = new MemoryStream(Message), Mac = new MemoryStream(mac), MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256 })).MacValid);
        mac[0] ^= 1;
        await KmsAssert.FailsWithAsync("KMSInvalidMacException", () => kms.VerifyMacAsync(new VerifyMacRequest { KeyId = keyId, Message = new MemoryStream(Message), Mac = new MemoryStream(mac), MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256 }));
        await KmsAssert.FailsWithAsync("InvalidKeyUsageException", () => kms.GenerateMacAsync(new GenerateMacRequest { KeyId = keyId, Message = new MemoryStream(Message), MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_512 }));
    }
}
