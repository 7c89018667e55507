using Amazon.Runtime;
using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox.Tests.Kms;

public sealed class QuotaTests
{
    [Fact]
    public async Task CallsBeyondTheOperationQuotaAreThrottled()
    {
        await using var sandbox = await SandboxHarness.StartAsync(enforceQuotas: true);
        var key = await sandbox.CreateKeyAsync("us-east-1");
        var kms = sandbox.Kms("us-east-1", maxErrorRetry: 0);

        // GetKeyLastUsage allows 5 requests per second per Region; 40 at once cannot all pass.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            try
            {
                await kms.GetKeyLastUsageAsync(new GetKeyLastUsageRequest { KeyId = key.KeyId });
                return "ok";
            }
            catch (AmazonKeyManagementServiceException ex)
            {
                return ex.ErrorCode;
            }
        }));

        Assert.Contains("ok", outcomes);
        Assert.Contains("ThrottlingException", outcomes);
        Assert.All(outcomes, o => Assert.True(o is "ok" or "ThrottlingException", o));
        // Quotas are per Region: another Region is not affected.
        var west = await sandbox.CreateKeyAsync("us-west-2");
        await sandbox.Kms("us-west-2", maxErrorRetry: 0).GetKeyLastUsageAsync(new GetKeyLastUsageRequest { KeyId = west.KeyId });
    }

    [Fact]
    public async Task AThrottledRegionFaultThrottlesEveryCallThere()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.Control.Faults.Set("eu-west-1", new RegionFault(Throttle: true));

        await KmsAssert.FailsWithAsync("ThrottlingException", () => sandbox.Kms("eu-west-1", maxErrorRetry: 0).ListKeysAsync(new ListKeysRequest()));
        await sandbox.Kms("us-east-1").ListKeysAsync(new ListKeysRequest());
    }

    [Fact]
    public async Task AnOutageFailsOnlyThatRegion()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.Control.Faults.Set("eu-west-1", new RegionFault(Outage: true));

        var ex = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => sandbox.Kms("eu-west-1", maxErrorRetry: 0).ListKeysAsync(new ListKeysRequest()));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        await sandbox.Kms("us-east-1").ListKeysAsync(new ListKeysRequest());
    }
}
