using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace KmsDashboard.Sandbox.Tests.Kms;

public sealed class CryptoTests
{
    private static readonly Dictionary<string, string> Context = new() { ["tenant"] = "acme", ["purpose"] = "test" };

    private static async Task<MemoryStream> EncryptAsync(SandboxHarness sandbox, string region, string keyId, byte[] plaintext, Dictionary<string, string>? context = null) =>
        (await sandbox.Kms(region).EncryptAsync(new EncryptRequest() { KeyId = keyId, Plaintext = new MemoryStream(plaintext), EncryptionContext = context })).CiphertextBlob;

    private static MemoryStream Copy(MemoryStream blob) => new(blob.ToArray());

    [Fact]
    public async Task CiphertextFromOneRegionDecryptsInAnotherWithoutAKeyId()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var keyId = await sandbox.CreateMultiRegionKeyAsync("us-east-1", "ap-southeast-1");
        var blob = await EncryptAsync(sandbox, "us-east-1", keyId, "card 4111"u8.ToArray(), Context);

        var decrypted = await sandbox.Kms("ap-southeast-1").DecryptAsync(new DecryptRequest() { CiphertextBlob = Copy(blob), EncryptionContext = Context });

        Assert.Equal("card 4111"u8.ToArray(), decrypted.Plaintext.ToArray());
        Assert.Equal($"arn:aws:kms:ap-southeast-1:111122223333:key/{keyId}", decrypted.KeyId);
        Assert.Equal(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, decrypted.EncryptionAlgorithm);
        // And back: the replica's ciphertext decrypts at the primary.
        var back = await EncryptAsync(sandbox, "ap-southeast-1", keyId, [7, 7]);
        Assert.Equal([7, 7], (await sandbox.Kms("us-east-1").DecryptAsync(new DecryptRequest() { CiphertextBlob = back, KeyId = keyId })).Plaintext.ToArray());
    }

    [Fact]
    public async Task WrongContextOrTamperingIsInvalidCiphertext()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("us-east-1");
        var blob = await EncryptAsync(sandbox, "us-east-1", key.KeyId, [1, 2, 3, 4], Context);

        await KmsAssert.FailsWithAsync("InvalidCiphertextException", () => sandbox.Kms("us-east-1").DecryptAsync(new DecryptRequest() { CiphertextBlob = Copy(blob) }));
        await KmsAssert.FailsWithAsync("InvalidCiphertextException", () => sandbox.Kms("us-east-1").DecryptAsync(new DecryptRequest()
        {
            CiphertextBlob = Copy(blob), EncryptionContext = new() { ["tenant"] = "other", ["purpose"] = "test" },
        }));
        var tampered = blob.ToArray();
        tampered[^1] ^= 0x01;
        await KmsAssert.FailsWithAsync("InvalidCiphertextException", () => sandbox.Kms("us-east-1").DecryptAsync(new DecryptRequest() { CiphertextBlob = new MemoryStream(tampered), EncryptionContext = Context }));
        await KmsAssert.FailsWithAsync("InvalidCiphertextException", () => sandbox.Kms("us-east-1").DecryptAsync(new DecryptRequest() { CiphertextBlob = new MemoryStream([9, 9, 9]) }));
    }

    [Fact]
    public async Task DecryptWithAnotherKeyIdIsIncorrectKey()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("us-east-1");
        var other = await sandbox.CreateKeyAsync("us-east-1");
        var blob = await EncryptAsync(sandbox, "us-east-1", key.KeyId, [1]);

        await KmsAssert.FailsWithAsync("IncorrectKeyException", () => sandbox.Kms("us-east-1").DecryptAsync(new DecryptRequest() { CiphertextBlob = Copy(blob), KeyId = other.KeyId }));
    }

    [Fact]
    public async Task SingleRegionCiphertextDoesNotDecryptInAnotherRegion()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("us-east-1");
        var blob = await EncryptAsync(sandbox, "us-east-1", key.KeyId, [1]);

        await KmsAssert.FailsWithAsync("InvalidCiphertextException", () => sandbox.Kms("eu-west-1").DecryptAsync(new DecryptRequest() { CiphertextBlob = blob }));
    }

    [Fact]
    public async Task DisabledKeyCannotDecrypt()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("us-east-1");
        var blob = await EncryptAsync(sandbox, "us-east-1", key.KeyId, [1]);
        await sandbox.Kms("us-east-1").DisableKeyAsync(new DisableKeyRequest() { KeyId = key.KeyId });

        await KmsAssert.FailsWithAsync("DisabledException", () => sandbox.Kms("us-east-1").DecryptAsync(new DecryptRequest() { CiphertextBlob = blob }));
    }

    [Fact]
    public async Task EncryptByAliasNameAndAliasArn()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("eu-west-1");
        await sandbox.Kms("eu-west-1").CreateAliasAsync(new CreateAliasRequest() { AliasName = "alias/orders", TargetKeyId = key.KeyId });

        var byName = await sandbox.Kms("eu-west-1").EncryptAsync(new EncryptRequest() { KeyId = "alias/orders", Plaintext = new MemoryStream([5]) });
        var byArn = await sandbox.Kms("eu-west-1").EncryptAsync(new EncryptRequest() { KeyId = "arn:aws:kms:eu-west-1:111122223333:alias/orders", Plaintext = new MemoryStream([5]) });

        Assert.Equal(key.Arn, byName.KeyId);
        Assert.Equal(key.Arn, byArn.KeyId);
    }

    [Fact]
    public async Task DataKeysDecryptBackAndReEncryptMovesCiphertextToAnotherKey()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var source = await sandbox.CreateKeyAsync("us-west-2");
        var destination = await sandbox.CreateKeyAsync("us-west-2");
        var kms = sandbox.Kms("us-west-2");

        var dataKey = await kms.GenerateDataKeyAsync(new GenerateDataKeyRequest() { KeyId = source.KeyId, KeySpec = DataKeySpec.AES_256, EncryptionContext = Context });
        Assert.Equal(32, dataKey.Plaintext.Length);
        Assert.Equal(source.CurrentKeyMaterialId, dataKey.KeyMaterialId);
        var withoutPlaintext = await kms.GenerateDataKeyWithoutPlaintextAsync(new GenerateDataKeyWithoutPlaintextRequest() { KeyId = source.KeyId, NumberOfBytes = 64 });
        Assert.Equal(64, (await kms.DecryptAsync(new DecryptRequest() { CiphertextBlob = withoutPlaintext.CiphertextBlob })).Plaintext.Length);
        await KmsAssert.FailsWithAsync("ValidationException", () => kms.GenerateDataKeyAsync(new GenerateDataKeyRequest() { KeyId = source.KeyId }));

        var reEncrypted = await kms.ReEncryptAsync(new ReEncryptRequest()
        {
            CiphertextBlob = Copy(dataKey.CiphertextBlob), SourceEncryptionContext = Context, DestinationKeyId = destination.KeyId,
        });
        Assert.Equal(source.Arn, reEncrypted.SourceKeyId);
        Assert.Equal(destination.Arn, reEncrypted.KeyId);
        var decrypted = await kms.DecryptAsync(new DecryptRequest() { CiphertextBlob = reEncrypted.CiphertextBlob });
        Assert.Equal(dataKey.Plaintext.ToArray(), decrypted.Plaintext.ToArray());
        Assert.Equal(destination.Arn, decrypted.KeyId);

        Assert.Equal(48, (await kms.GenerateRandomAsync(new GenerateRandomRequest() { NumberOfBytes = 48 })).Plaintext.Length);
    }

    [Fact]
    public async Task NonEncryptionKeysRefuseEncrypt()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var hmac = (await sandbox.Kms("us-east-1").CreateKeyAsync(new CreateKeyRequest() { KeySpec = KeySpec.HMAC_256, KeyUsage = KeyUsageType.GENERATE_VERIFY_MAC })).KeyMetadata;

        await KmsAssert.FailsWithAsync("InvalidKeyUsageException", () => sandbox.Kms("us-east-1").EncryptAsync(new EncryptRequest() { KeyId = hmac.KeyId, Plaintext = new MemoryStream([1]) }));
    }
}
