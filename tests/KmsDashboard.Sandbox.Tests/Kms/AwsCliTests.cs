namespace KmsDashboard.Sandbox.Tests.Kms;

/// <summary>The preinstalled Python AWS CLI, a client nobody here wrote, drives a multi-Region set-up end to end.</summary>
public sealed class AwsCliTests
{
    [SkippableFact]
    public async Task MultiRegionSetUpThroughTheAwsCli()
    {
        AwsCli.Require();
        await using var sandbox = await SandboxHarness.StartAsync(enforceQuotas: true);
        var work = Directory.CreateTempSubdirectory("kms-cli-");
        try
        {
            var cli = new AwsCli(sandbox.Server.Url, "AKIDCLITEST", work.FullName);

            var keyId = (await cli.JsonAsync("us-east-1", "kms", "create-key", "--multi-region", "--description", "orders (cli)"))
                .GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;
            Assert.StartsWith("mrk-", keyId);
            var replica = await cli.JsonAsync("us-east-1", "kms", "replicate-key", "--key-id", keyId, "--replica-region", "eu-west-1");
            Assert.Equal("Creating", replica.GetProperty("ReplicaKeyMetadata").GetProperty("KeyState").GetString());
            sandbox.Advance(TimeSpan.FromMinutes(1));

            // Independent steps, run side by side.
            await Task.WhenAll(
                cli.JsonAsync("us-east-1", "kms", "create-alias", "--alias-name", "alias/cli-orders", "--target-key-id", keyId),
                cli.JsonAsync("eu-west-1", "kms", "create-alias", "--alias-name", "alias/cli-orders", "--target-key-id", keyId),
                cli.JsonAsync("us-east-1", "kms", "enable-key-rotation", "--key-id", keyId, "--rotation-period-in-days", "180"));

            // Each CLI start costs seconds on a loaded machine: the set-up goes through the CLI, the checks through the SDK.
            var status = await sandbox.Kms("eu-west-1").GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = keyId });
            Assert.True(status.KeyRotationEnabled);
            Assert.Equal(180, status.RotationPeriodInDays);
            var described = await sandbox.DescribeAsync("eu-west-1", "alias/cli-orders");
            Assert.Equal(MultiRegionKeyType.REPLICA, described.MultiRegionConfiguration.MultiRegionKeyType);
            Assert.Equal("us-east-1", described.MultiRegionConfiguration.PrimaryKey.Region);
            Assert.Equal(KeyState.Enabled, described.KeyState);
            Assert.Equal(keyId, (await sandbox.DescribeAsync("us-east-1", "alias/cli-orders")).KeyId);

            var plaintext = "order 4711 shipped"u8.ToArray();
            await File.WriteAllBytesAsync(Path.Combine(work.FullName, "plain.bin"), plaintext);
            var ciphertext = await cli.TextAsync("us-east-1", "kms", "encrypt", "--key-id", "alias/cli-orders", "--plaintext", "fileb://plain.bin",
                "--encryption-context", "purpose=cli", "--query", "CiphertextBlob", "--output", "text");
            await File.WriteAllBytesAsync(Path.Combine(work.FullName, "cipher.bin"), Convert.FromBase64String(ciphertext));
            var decrypted = await cli.TextAsync("eu-west-1", "kms", "decrypt", "--ciphertext-blob", "fileb://cipher.bin",
                "--encryption-context", "purpose=cli", "--query", "Plaintext", "--output", "text");
            Assert.Equal(plaintext, Convert.FromBase64String(decrypted));
            var deletion = await cli.JsonAsync("us-east-1", "kms", "schedule-key-deletion", "--key-id", keyId, "--pending-window-in-days", "7");
            Assert.Equal("PendingReplicaDeletion", deletion.GetProperty("KeyState").GetString());
            var primary = await sandbox.DescribeAsync("us-east-1", keyId);
            Assert.Equal(KeyState.PendingReplicaDeletion, primary.KeyState);
            Assert.Equal(7, primary.PendingDeletionWindowInDays);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public async Task TheAwsCliSignsAndVerifies()
    {
        AwsCli.Require();
        await using var sandbox = await SandboxHarness.StartAsync();
        var keyId = (await sandbox.Kms("eu-central-1").CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.RSA_2048, KeyUsage = KeyUsageType.SIGN_VERIFY })).KeyMetadata.KeyId;
        var message = "release 4.2 manifest"u8.ToArray();
        var work = Directory.CreateTempSubdirectory("kms-cli-sign-");
        try
        {
            var cli = new AwsCli(sandbox.Server.Url, "AKIDCLITEST", work.FullName);
            await File.WriteAllBytesAsync(Path.Combine(work.FullName, "message.bin"), message);

            var signature = await cli.TextAsync("eu-central-1", "kms", "sign", "--key-id", keyId, "--message", "fileb://message.bin",
                "--message-type", "RAW", "--signing-algorithm", "RSASSA_PKCS1_V1_5_SHA_256", "--query", "Signature", "--output", "text");
            await File.WriteAllBytesAsync(Path.Combine(work.FullName, "signature.bin"), Convert.FromBase64String(signature));
            var valid = await cli.TextAsync("eu-central-1", "kms", "verify", "--key-id", keyId, "--message", "fileb://message.bin",
                "--message-type", "RAW", "--signing-algorithm", "RSASSA_PKCS1_V1_5_SHA_256", "--signature", "fileb://signature.bin",
                "--query", "SignatureValid", "--output", "text");

            Assert.Equal("True", valid.Trim());
            using var rsa = System.Security.Cryptography.RSA.Create();
            rsa.ImportSubjectPublicKeyInfo((await sandbox.Kms("eu-central-1").GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = keyId })).PublicKey.ToArray(), out _);
            Assert.True(rsa.VerifyData(message, Convert.FromBase64String(signature), System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public async Task CallerIdentityThroughTheAwsCliNamesTheSandboxAccount()
    {
        AwsCli.Require();
        await using var sandbox = await SandboxHarness.StartAsync();
        var work = Directory.CreateTempSubdirectory("sts-cli-");
        try
        {
            var identity = await new AwsCli(sandbox.Server.Url, "AKIDCLITEST", work.FullName).JsonAsync("eu-west-1", "sts", "get-caller-identity");

            Assert.Equal("111122223333", identity.GetProperty("Account").GetString());
            Assert.StartsWith("arn:aws:iam::111122223333:", identity.GetProperty("Arn").GetString());
            Assert.False(string.IsNullOrEmpty(identity.GetProperty("UserId").GetString()));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
