using System.Text.Json;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.Tests.CloudTrail;

/// <summary>A multi-Region key set made with the aws CLI leaves the events AWS records, each in its own Region.</summary>
public sealed class CloudTrailMultiRegionCliTests
{
    [SkippableFact]
    public async Task AMultiRegionSetUpLeavesItsEventsInTheRightRegions()
    {
        AwsCli.Require();
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = false });
        var cli = new AwsCli(server.Url);
        var control = server.Services.GetRequiredService<SandboxControl>();
        // CloudTrail's event times are whole seconds and events within one second come back in no set order (as on
        // AWS), so each call is a second after the one before it: the order asserted below is then the order of time.
        async Task<JsonElement> Run(string region, params string[] args)
        {
            var result = await cli.JsonAsync(region, args);
            control.Advance(TimeSpan.FromSeconds(1));
            return result;
        }

        var keyId = (await Run("us-east-1", "kms", "create-key", "--multi-region", "--description", "audit set"))
            .GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;
        await Run("us-east-1", "kms", "create-alias", "--alias-name", "alias/audit-set", "--target-key-id", keyId);
        await Run("us-east-1", "kms", "replicate-key", "--key-id", keyId, "--replica-region", "eu-west-1");
        await Run("us-east-1", "kms", "replicate-key", "--key-id", keyId, "--replica-region", "ap-southeast-2");
        control.Advance(TimeSpan.FromMinutes(10));
        await Run("us-east-1", "kms", "encrypt", "--key-id", "alias/audit-set", "--plaintext", "aGVsbG8=");
        await Run("us-east-1", "kms", "update-primary-region", "--key-id", keyId, "--primary-region", "eu-west-1");

        async Task<List<string>> EventsOf(string region)
        {
            var arn = $"arn:aws:kms:{region}:111122223333:key/{keyId}";
            var found = await Run(region, "cloudtrail", "lookup-events", "--lookup-attributes", $"AttributeKey=ResourceName,AttributeValue={arn}");
            return [.. found.GetProperty("Events").EnumerateArray().Select(e => e.GetProperty("EventName").GetString()!).Reverse()];
        }

        var primaryRegion = await EventsOf("us-east-1");
        var newPrimary = await EventsOf("eu-west-1");
        var replica = await EventsOf("ap-southeast-2");

        Assert.Equal(["CreateKey", "CreateAlias", "ReplicateKey", "ReplicateKey", "Encrypt", "UpdatePrimaryRegion"],
            primaryRegion.Where(n => n != "SynchronizeMultiRegionKey"));
        Assert.Equal("CreateKey", newPrimary[0]);
        Assert.Contains("UpdatePrimaryRegion", newPrimary);
        Assert.DoesNotContain("ReplicateKey", newPrimary);
        Assert.Equal("CreateKey", replica[0]);
        Assert.DoesNotContain("UpdatePrimaryRegion", replica);
        Assert.DoesNotContain("Encrypt", replica);
    }
}
