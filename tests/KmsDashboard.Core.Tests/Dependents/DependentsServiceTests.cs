using System.Security.Claims;
using KmsDashboard.Core.Dependents;
using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.Hosting;
using Sdk = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Tests.Dependents;

/// <summary>The dependents model's grants and CloudTrail callers, per Region, over a sandbox, including a failing Region.</summary>
public sealed class DependentsServiceTests : IAsyncLifetime
{
    private const string BatchRole = "arn:aws:iam::111122223333:role/batch";
    private DependentsHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await DependentsHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task GrantsAndCallersAreReadPerRegionOfTheKeySet()
    {
        var keyId = await _harness.CreateKeySetAsync("us-east-1", ["eu-west-1"], "alias/orders");
        await _harness.Kms("us-east-1").CreateGrantAsync(new Sdk.CreateGrantRequest
        {
            KeyId = keyId, GranteePrincipal = BatchRole, RetiringPrincipal = "arn:aws:iam::111122223333:role/deployer",
            Operations = ["Decrypt", "GenerateDataKey"], Name = "batch", Constraints = new Sdk.GrantConstraints { EncryptionContextSubset = new() { ["app"] = "batch" } },
        });
        await _harness.Kms("eu-west-1").CreateGrantAsync(new Sdk.CreateGrantRequest { KeyId = keyId, GranteePrincipal = "rds.eu-west-1.amazonaws.com", Operations = ["Decrypt"] });
        using var payments = _harness.KmsAs("us-east-1", DemoAccessKeys.PaymentsLambda);
        using var orders = _harness.KmsAs("us-east-1", DemoAccessKeys.OrderService);
        using var bob = _harness.KmsAs("eu-west-1", DemoAccessKeys.Bob);
        for (var i = 0; i < 3; i++)
            await payments.EncryptAsync(new Sdk.EncryptRequest { KeyId = "alias/orders", Plaintext = new MemoryStream([1, 2, 3]) });
        await orders.GenerateDataKeyAsync(new Sdk.GenerateDataKeyRequest { KeyId = keyId, KeySpec = "AES_256" });
        await bob.DescribeKeyAsync(new Sdk.DescribeKeyRequest { KeyId = keyId }); // not a cryptographic use: not a dependent
        await bob.EncryptAsync(new Sdk.EncryptRequest { KeyId = keyId, Plaintext = new MemoryStream([9]) });

        var result = await _harness.Dependents.ReadAsync(keyId, TimeSpan.FromDays(1), refreshBuckets: false, CancellationToken.None);

        Assert.Equal(["eu-west-1", "us-east-1"], result.Regions.Select(r => r.Region).Order(StringComparer.Ordinal));
        var east = result.Regions.Single(r => r.Region == "us-east-1");
        var grant = Assert.Single(east.Grants);
        Assert.Equal(BatchRole, grant.GranteePrincipal);
        Assert.Equal("context includes app=batch", grant.ConstraintText);
        Assert.Equal(["Decrypt", "GenerateDataKey"], grant.Operations);
        Assert.Equal("arn:aws:iam::111122223333:role/PaymentsLambdaRole", east.Callers[0].Principal);
        Assert.Equal(3, east.Callers[0].Count);
        Assert.Equal(["Encrypt"], east.Callers[0].Operations);
        Assert.Equal(3, east.Callers[0].EvidenceEventIds.Count);
        Assert.Contains(east.Callers, c => c.Principal.EndsWith("role/OrderServiceRole", StringComparison.Ordinal) && c.Count == 1);
        var west = result.Regions.Single(r => r.Region == "eu-west-1");
        Assert.Equal("rds.eu-west-1.amazonaws.com", Assert.Single(west.Grants).GranteePrincipal);
        var bobCaller = Assert.Single(west.Callers);
        Assert.Equal(["Encrypt"], bobCaller.Operations);
        Assert.EndsWith(":user/bob", bobCaller.Principal, StringComparison.Ordinal);

        var radius = result.BlastRadius;
        Assert.Equal((0, 0, 2, 3), (radius.Buckets, radius.ReplicationRules, radius.Grants, radius.Principals));
        Assert.StartsWith("0 buckets, 0 replication rules, 2 grants, 3 principals in the last 1 day would lose access", radius.Summary, StringComparison.Ordinal);
        Assert.Same(result, _harness.Dependents.Latest(keyId));
    }

    [Fact]
    public async Task AFailingRegionIsReportedWithItsErrorWhileTheOthersAreRead()
    {
        var keyId = await _harness.CreateKeySetAsync("us-east-1", ["ap-southeast-1"]);
        await _harness.Kms("us-east-1").CreateGrantAsync(new Sdk.CreateGrantRequest { KeyId = keyId, GranteePrincipal = BatchRole, Operations = ["Encrypt"] });
        await _harness.Inventory.RefreshAsync(CancellationToken.None);
        _harness.Faults.Set("ap-southeast-1", new RegionFault(Outage: true));
        var before = _harness.Clock.UtcNow;

        var result = await _harness.Dependents.ReadAsync(keyId, TimeSpan.FromDays(7), refreshBuckets: false, CancellationToken.None);

        var failing = result.Regions.Single(r => r.Region == "ap-southeast-1");
        Assert.NotNull(failing.GrantsError);
        Assert.NotNull(failing.CallersError);
        Assert.True(failing.GrantsFailingSince >= before);
        Assert.Single(result.Regions.Single(r => r.Region == "us-east-1").Grants);
        Assert.Null(result.Regions.Single(r => r.Region == "us-east-1").GrantsError);
        Assert.False(result.BlastRadius.Complete);
        Assert.Contains("grants in ap-southeast-1", result.BlastRadius.Summary, StringComparison.Ordinal);

        // Still failing later: "since" stays at the first failure.
        _harness.Clock.Advance(TimeSpan.FromMinutes(10));
        var again = await _harness.Dependents.ReadAsync(keyId, TimeSpan.FromDays(7), refreshBuckets: false, CancellationToken.None);
        Assert.Equal(failing.GrantsFailingSince, again.Regions.Single(r => r.Region == "ap-southeast-1").GrantsFailingSince);
        _harness.Faults.Clear("ap-southeast-1");
        var healed = await _harness.Dependents.ReadAsync(keyId, TimeSpan.FromDays(7), refreshBuckets: false, CancellationToken.None);
        Assert.All(healed.Regions, r => Assert.Null(r.GrantsError));
    }

    [Fact]
    public async Task CloudTrailCallersAreForAuditorsAndAdminsAndAnonymousUsersSeeNothing()
    {
        var keyId = await _harness.CreateKeySetAsync("us-east-1", []);
        await _harness.Kms("us-east-1").EncryptAsync(new Sdk.EncryptRequest { KeyId = keyId, Plaintext = new MemoryStream([1]) });
        await _harness.Kms("us-east-1").CreateGrantAsync(new Sdk.CreateGrantRequest { KeyId = keyId, GranteePrincipal = BatchRole, Operations = ["Decrypt"] });

        var viewer = await _harness.Dependents.ReadAsync(User(DashboardRoles.Viewer), keyId, TimeSpan.FromDays(1), false, CancellationToken.None);
        var auditor = await _harness.Dependents.ReadAsync(User(DashboardRoles.Auditor), keyId, TimeSpan.FromDays(1), false, CancellationToken.None);

        Assert.True(viewer.CallersHidden);
        Assert.Empty(viewer.Callers);
        Assert.Single(viewer.Grants);
        Assert.Contains("shown to Auditor and Admin", viewer.BlastRadius.Summary, StringComparison.Ordinal);
        Assert.False(auditor.CallersHidden);
        Assert.Single(auditor.Callers);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _harness.Dependents.ReadAsync(new ClaimsPrincipal(new ClaimsIdentity()), keyId, TimeSpan.FromDays(1), false, CancellationToken.None));
    }

    private static ClaimsPrincipal User(string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, role), new Claim(ClaimTypes.Role, role)], "Test", ClaimTypes.Name, ClaimTypes.Role));

    [Fact]
    public async Task AnUnknownKeyOrABadWindowIsRefused()
    {
        await _harness.Inventory.RefreshAsync(CancellationToken.None);
        await Assert.ThrowsAsync<ArgumentException>(() => _harness.Dependents.ReadAsync("mrk-00000000000000000000000000000000", TimeSpan.FromDays(1), false, CancellationToken.None));
        var keyId = await _harness.CreateKeySetAsync("us-east-1", []);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _harness.Dependents.ReadAsync(keyId, TimeSpan.FromDays(91), false, CancellationToken.None));
    }
}
