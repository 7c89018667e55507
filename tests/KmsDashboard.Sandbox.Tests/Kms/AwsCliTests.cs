using System.Diagnostics;
using System.Text.Json;

namespace KmsDashboard.Sandbox.Tests.Kms;

/// <summary>The preinstalled Python AWS CLI, a client nobody here wrote, drives a multi-Region set-up end to end.</summary>
public sealed class AwsCliTests
{
    [SkippableFact]
    public async Task MultiRegionSetUpThroughTheAwsCli()
    {
        var aws = ExternalTool.Require("aws");
        await using var sandbox = await SandboxHarness.StartAsync(enforceQuotas: true);
        var work = Directory.CreateTempSubdirectory("kms-cli-");
        try
        {
            var cli = new AwsCli(aws, sandbox.Server.Url, work.FullName);

            var keyId = (await cli.JsonAsync("us-east-1", "kms", "create-key", "--multi-region", "--description", "orders (cli)"))
                .GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;
            Assert.StartsWith("mrk-", keyId);
            var replica = await cli.JsonAsync("us-east-1", "kms", "replicate-key", "--key-id", keyId, "--replica-region", "eu-west-1");
            Assert.Equal("Creating", replica.GetProperty("ReplicaKeyMetadata").GetProperty("KeyState").GetString());
            sandbox.Advance(TimeSpan.FromMinutes(1));

            // Independent steps, run side by side.
            await Task.WhenAll(
                cli.RunAsync("us-east-1", "kms", "create-alias", "--alias-name", "alias/cli-orders", "--target-key-id", keyId),
                cli.RunAsync("eu-west-1", "kms", "create-alias", "--alias-name", "alias/cli-orders", "--target-key-id", keyId),
                cli.RunAsync("us-east-1", "kms", "enable-key-rotation", "--key-id", keyId, "--rotation-period-in-days", "180"));

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
        var aws = ExternalTool.Require("aws");
        await using var sandbox = await SandboxHarness.StartAsync();
        var keyId = (await sandbox.Kms("eu-central-1").CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.RSA_2048, KeyUsage = KeyUsageType.SIGN_VERIFY })).KeyMetadata.KeyId;
        var message = "release 4.2 manifest"u8.ToArray();
        var work = Directory.CreateTempSubdirectory("kms-cli-sign-");
        try
        {
            var cli = new AwsCli(aws, sandbox.Server.Url, work.FullName);
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
        var aws = ExternalTool.Require("aws");
        await using var sandbox = await SandboxHarness.StartAsync();
        var work = Directory.CreateTempSubdirectory("sts-cli-");
        try
        {
            var identity = await new AwsCli(aws, sandbox.Server.Url, work.FullName).JsonAsync("eu-west-1", "sts", "get-caller-identity");

            Assert.Equal("111122223333", identity.GetProperty("Account").GetString());
            Assert.StartsWith("arn:aws:iam::111122223333:", identity.GetProperty("Arn").GetString());
            Assert.False(string.IsNullOrEmpty(identity.GetProperty("UserId").GetString()));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private sealed class AwsCli(string executable, Uri endpoint, string workingDirectory)
    {
        public async Task<JsonElement> JsonAsync(string region, params string[] args) =>
            JsonDocument.Parse(await RunAsync(region, expectSuccess: true, [.. args, "--output", "json"])).RootElement.Clone();

        public async Task<string> TextAsync(string region, params string[] args) => (await RunAsync(region, expectSuccess: true, args)).Trim();

        public Task<string> RunAsync(string region, params string[] args) => RunAsync(region, expectSuccess: true, args);

        public async Task<string> RunAsync(string region, bool expectSuccess, params string[] args)
        {
            var start = new ProcessStartInfo(executable)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var arg in (string[])["--endpoint-url", endpoint.ToString().TrimEnd('/'), "--region", region, .. args]) start.ArgumentList.Add(arg);
            start.Environment["AWS_ACCESS_KEY_ID"] = "AKIDCLITEST";
            start.Environment["AWS_SECRET_ACCESS_KEY"] = "cli-secret";
            start.Environment["AWS_DEFAULT_REGION"] = region;
            start.Environment["AWS_CONFIG_FILE"] = Path.Combine(workingDirectory, "no-config");
            start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(workingDirectory, "no-credentials");
            start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
            start.Environment.Remove("AWS_PROFILE");
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            var output = await stdout;
            var error = await stderr;
            if (expectSuccess)
                Assert.True(process.ExitCode == 0, $"aws {string.Join(' ', args)} exited {process.ExitCode}: {error}");
            else
                Assert.NotEqual(0, process.ExitCode);
            return expectSuccess ? output : error;
        }
    }
}
