using System.Security.Claims;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.S3;
using Microsoft.Extensions.DependencyInjection;
using Sdk = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Tests.Dependents;

/// <summary>Destructive plans (disable, schedule deletion, change of primary) carry the dependents' blast radius of the Regions they reach.</summary>
public sealed class PlanBlastRadiusTests : IAsyncLifetime
{
    private static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "ada"), new Claim(ClaimTypes.Role, DashboardRoles.Admin)], "Test", ClaimTypes.Name, ClaimTypes.Role));

    private DependentsHarness _harness = null!;
    private string _keyId = "";

    public async Task InitializeAsync()
    {
        _harness = await DependentsHarness.StartAsync();
        _keyId = await _harness.CreateKeySetAsync("us-east-1", ["eu-west-1"], "alias/ledger");
        var s3 = _harness.Server.Services.GetRequiredService<S3SandboxState>();
        s3.CreateBucket("us-east-1", "ledger-east");
        s3.SetDefaultKmsEncryption("ledger-east", "alias/ledger");
        await _harness.Kms("us-east-1").CreateGrantAsync(new Sdk.CreateGrantRequest { KeyId = _keyId, GranteePrincipal = "arn:aws:iam::111122223333:role/a", Operations = ["Decrypt"] });
        await _harness.Kms("eu-west-1").CreateGrantAsync(new Sdk.CreateGrantRequest { KeyId = _keyId, GranteePrincipal = "arn:aws:iam::111122223333:role/b", Operations = ["Decrypt"] });
        await _harness.Kms("eu-west-1").CreateGrantAsync(new Sdk.CreateGrantRequest { KeyId = _keyId, GranteePrincipal = "arn:aws:iam::111122223333:role/c", Operations = ["Encrypt"] });
        using var lambda = _harness.KmsAs("us-east-1", DemoAccessKeys.PaymentsLambda);
        await lambda.EncryptAsync(new Sdk.EncryptRequest { KeyId = "alias/ledger", Plaintext = new MemoryStream([1]) });
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task DisablingOneRegionsKeyCountsThatRegionsDependentsOnly()
    {
        var east = await _harness.Operations.PlanAsync(Admin, new DisableKeyRequest { KeyId = _keyId, Region = "us-east-1" }, CancellationToken.None);
        var west = await _harness.Operations.PlanAsync(Admin, new DisableKeyRequest { KeyId = _keyId, Region = "eu-west-1" }, CancellationToken.None);

        Assert.Equal((1, 0, 1, 1), (east.Dependents!.Buckets, east.Dependents.ReplicationRules, east.Dependents.Grants, east.Dependents.Principals));
        Assert.Contains("1 bucket, 0 replication rules, 1 grant, 1 principal in the last 30 days (in us-east-1) would lose access.", east.BlastRadius);
        Assert.Equal((0, 2, 0), (west.Dependents!.Buckets, west.Dependents.Grants, west.Dependents.Principals));
        Assert.True(east.CanExecute);
    }

    [Fact]
    public async Task ScheduleDeletionAndChangeOfPrimaryCarryTheBlastRadiusToo()
    {
        var deletion = await _harness.Operations.PlanAsync(Admin,
            new ScheduleDeletionRequest { KeyId = _keyId, Region = "us-east-1", PendingWindowInDays = 7, AlsoScheduleReplicasIn = ["eu-west-1"] }, CancellationToken.None);
        var move = await _harness.Operations.PlanAsync(Admin, new ChangePrimaryRegionRequest { KeyId = _keyId, Region = "us-east-1", NewPrimaryRegion = "eu-west-1" }, CancellationToken.None);
        var enable = await _harness.Operations.PlanAsync(Admin, new EnableKeyRequest { KeyId = _keyId, Region = "us-east-1" }, CancellationToken.None);

        Assert.Equal((1, 3, 1), (deletion.Dependents!.Buckets, deletion.Dependents.Grants, deletion.Dependents.Principals));
        Assert.Equal(["eu-west-1", "us-east-1"], deletion.Dependents.Regions);
        Assert.Null(move.Dependents!.Regions);
        Assert.EndsWith("depend on this key set (cryptography keeps working while the primary moves)", move.Dependents.Summary, StringComparison.Ordinal);
        Assert.Null(enable.Dependents);
    }
}
