using System.Text.Json;
using KmsDashboard.Core.Runbooks;
using Microsoft.Extensions.DependencyInjection;
using static KmsDashboard.Core.Tests.Runbooks.RunbookHarness;

namespace KmsDashboard.Core.Tests.Runbooks;

/// <summary>
/// The issue's check of the seed's runbook outcome: the manual rotation of the demo's payments-prod key set runs through
/// Core against a standalone sandbox process (step 6 re-encrypting the demo's myapp buckets); then only the aws CLI looks:
/// the alias resolves to the new key in every Region, ciphertext made before decrypts, and S3 objects report the new key.
/// </summary>
public sealed class SeedRunbookAwsCliTests
{
    private const string Alias = "alias/payments-prod", Account = "111122223333";
    /// <summary>The demo never created the alias in ap-southeast-1 (drift); the key set also has a replica there.</summary>
    private static readonly string[] AliasRegions = ["us-east-1", "us-west-2", "eu-west-1"];
    private static readonly string[] SetRegions = [.. AliasRegions, "ap-southeast-1"];

    [SkippableFact]
    public async Task AfterTheRunbookTheAliasResolvesToTheNewKeyEverywhereOldCiphertextDecryptsAndS3ObjectsReportTheNewKey()
    {
        AwsCliRunner.Require();
        await using var sandbox = await StandaloneSandbox.StartAsync("--Sandbox:EnforceQuotas=false", "--Sandbox:ReplicaCreationDuration=00:00:01");
        var cli = new AwsCliRunner(sandbox.Url);
        var directory = Directory.CreateTempSubdirectory("kmsdashboard-seed-runbook-").FullName;
        try
        {
            // Before: the key the alias names, and ciphertext made under the alias in each Region.
            var oldKeyId = (await cli.JsonAsync("us-east-1", "kms", "describe-key", "--key-id", Alias)).GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;
            var plain = Path.Combine(directory, "plain.txt");
            await File.WriteAllTextAsync(plain, "made before the rotation");
            var before = new Dictionary<string, string>();
            foreach (var region in AliasRegions)
            {
                var blob = (await cli.JsonAsync(region, "kms", "encrypt", "--key-id", Alias, "--plaintext", $"fileb://{plain}")).GetProperty("CiphertextBlob").GetString()!;
                before[region] = Path.Combine(directory, $"before-{region}.bin");
                await File.WriteAllBytesAsync(before[region], Convert.FromBase64String(blob));
            }
            before["ap-southeast-1"] = before["us-east-1"];
            var primaryObjects = await KeysAsync(cli, "us-east-1", "myapp-primary");
            Assert.Equal(12, primaryObjects.Count);

            // The runbook through Core, as the wizard drives it: an Operator plans and runs steps 1–6.
            string newKeyId;
            var services = BuildServices(sandbox.Url, Path.Combine(directory, "data"), DemoRegions, TimeProvider.System);
            await using (services)
            {
                var runbooks = services.GetRequiredService<RunbookService>();
                var (id, problems) = await runbooks.StartAsync(Operator, new ManualRotationInputs { KeyId = oldKeyId, DrainHours = 1 }, default);
                Assert.Empty(problems);
                foreach (var step in new[] { "choose", "create", "replicate", "move-aliases", "verify", "reencrypt-s3" })
                {
                    var plan = await runbooks.PlanStepAsync(Operator, id!.Value, null, default);
                    Assert.True(plan.StepName == step && plan.CanExecute, $"{step}: {plan.StepName} {plan.Status} {string.Join(" ", plan.Problems)}");
                    var result = await runbooks.ExecuteAsync(Operator, plan, null, default);
                    Assert.True(result.State == RunbookStepState.Done,
                        $"{step}: {result.State}. {result.Summary} {string.Join(" ", result.Regions.Select(r => $"[{r.Region} {r.State}: {r.Message}]"))}");
                }
                var view = await runbooks.GetAsync(id!.Value, default);
                Assert.Equal("watch", view!.Current!.Name);
                newKeyId = JsonSerializer.Deserialize<KeySetRunbookState>(view.Runbook.State, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!.NewKeyId!;
            }
            Assert.NotEqual(oldKeyId, newKeyId);

            // The alias resolves to the new key in every Region that has it; the new set also covers ap-southeast-1.
            foreach (var region in AliasRegions)
            {
                var key = (await cli.JsonAsync(region, "kms", "describe-key", "--key-id", Alias)).GetProperty("KeyMetadata");
                Assert.Equal((newKeyId, "Enabled"), (key.GetProperty("KeyId").GetString(), key.GetProperty("KeyState").GetString()));
            }
            var apac = (await cli.JsonAsync("ap-southeast-1", "kms", "describe-key", "--key-id", newKeyId)).GetProperty("KeyMetadata");
            Assert.Equal(("REPLICA", "Enabled"), (apac.GetProperty("MultiRegionConfiguration").GetProperty("MultiRegionKeyType").GetString(), apac.GetProperty("KeyState").GetString()));

            // Ciphertext made before still decrypts, under the old key, in every Region of the set.
            foreach (var region in SetRegions)
            {
                var decrypted = await cli.JsonAsync(region, "kms", "decrypt", "--ciphertext-blob", $"fileb://{before[region]}");
                Assert.Equal($"arn:aws:kms:{region}:{Account}:key/{oldKeyId}", decrypted.GetProperty("KeyId").GetString());
                Assert.Equal("made before the rotation", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(decrypted.GetProperty("Plaintext").GetString()!)));
            }

            // S3: every object of the re-encrypted buckets reports the new key of its Region; the replication rule and the
            // replica bucket's default name it too; a new upload through the alias lands under it.
            var newEast = $"arn:aws:kms:us-east-1:{Account}:key/{newKeyId}";
            var newApac = $"arn:aws:kms:ap-southeast-1:{Account}:key/{newKeyId}";
            Assert.Equal(primaryObjects, await KeysAsync(cli, "us-east-1", "myapp-primary"));
            foreach (var key in primaryObjects)
                Assert.Equal(newEast, (await cli.JsonAsync("us-east-1", "s3api", "head-object", "--bucket", "myapp-primary", "--key", key)).GetProperty("SSEKMSKeyId").GetString());
            var rule = (await cli.JsonAsync("us-east-1", "s3api", "get-bucket-replication", "--bucket", "myapp-primary"))
                .GetProperty("ReplicationConfiguration").GetProperty("Rules")[0];
            Assert.Equal(newApac, rule.GetProperty("Destination").GetProperty("EncryptionConfiguration").GetProperty("ReplicaKmsKeyID").GetString());
            Assert.Equal(newApac, (await cli.JsonAsync("ap-southeast-1", "s3api", "get-bucket-encryption", "--bucket", "myapp-replica"))
                .GetProperty("ServerSideEncryptionConfiguration").GetProperty("Rules")[0].GetProperty("ApplyServerSideEncryptionByDefault").GetProperty("KMSMasterKeyID").GetString());
            // Replication is asynchronous: the replicas of the in-place copies arrive within seconds, already under the new replica key.
            await EventuallyAsync(async () =>
            {
                foreach (var key in await KeysAsync(cli, "ap-southeast-1", "myapp-replica"))
                    Assert.Equal(newApac, (await cli.JsonAsync("ap-southeast-1", "s3api", "head-object", "--bucket", "myapp-replica", "--key", key)).GetProperty("SSEKMSKeyId").GetString());
            });

            var upload = Path.Combine(directory, "after.json");
            await File.WriteAllTextAsync(upload, "{\"after\": true}");
            var put = await cli.RunAsync("us-east-1", "s3", "cp", upload, "s3://myapp-primary/after/after.json");
            Assert.True(put.ExitCode == 0, put.Stderr);
            Assert.Equal(newEast, (await cli.JsonAsync("us-east-1", "s3api", "head-object", "--bucket", "myapp-primary", "--key", "after/after.json")).GetProperty("SSEKMSKeyId").GetString());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task<List<string>> KeysAsync(AwsCliRunner cli, string region, string bucket)
    {
        var listed = await cli.JsonAsync(region, "s3api", "list-objects-v2", "--bucket", bucket);
        return listed.TryGetProperty("Contents", out var contents) ? [.. contents.EnumerateArray().Select(o => o.GetProperty("Key").GetString()!)] : [];
    }

    private static async Task EventuallyAsync(Func<Task> check)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await check();
                return;
            }
            catch (Xunit.Sdk.XunitException) when (attempt < 10)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }
}
