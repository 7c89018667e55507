using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace KmsDashboard.Sandbox.Tests.Kms;

public sealed class ControlEndpointTests
{
    [Fact]
    public async Task ClockMovesForwardOverHttpAndCompletesDeletions()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var http = new HttpClient { BaseAddress = sandbox.Server.Url };
        var key = await sandbox.CreateKeyAsync("us-east-1");
        await sandbox.Kms("us-east-1").ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 });
        var before = (await http.GetFromJsonAsync<JsonElement>("/_sandbox/clock")).GetProperty("epochSeconds").GetDouble();

        using var advanced = await http.PostAsync("/_sandbox/clock/advance?seconds=691200", null);
        using var byJson = await http.PostAsJsonAsync("/_sandbox/clock/advance", new { seconds = 60 });

        Assert.Equal(HttpStatusCode.OK, advanced.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byJson.StatusCode);
        var after = (await byJson.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("epochSeconds").GetDouble();
        Assert.True(after - before >= 691200 + 60);
        await KmsAssert.FailsWithAsync("NotFoundException", () => sandbox.DescribeAsync("us-east-1", key.KeyId));
        using var bad = await http.PostAsync("/_sandbox/clock/advance?seconds=-5", null);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task FaultsAreSetAndClearedPerRegionOverHttp()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var http = new HttpClient { BaseAddress = sandbox.Server.Url };

        using var put = await http.PutAsJsonAsync("/_sandbox/faults/eu-west-1", new { latencyMs = 0, outage = true, throttle = false });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await Assert.ThrowsAnyAsync<Amazon.Runtime.AmazonServiceException>(() => sandbox.Kms("eu-west-1", maxErrorRetry: 0).ListKeysAsync(new ListKeysRequest()));

        using var delete = await http.DeleteAsync("/_sandbox/faults/eu-west-1");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await sandbox.Kms("eu-west-1", maxErrorRetry: 0).ListKeysAsync(new ListKeysRequest());

        await http.PutAsJsonAsync("/_sandbox/faults/us-west-2", new { throttle = true });
        using var clearAll = await http.DeleteAsync("/_sandbox/faults");
        Assert.Equal(HttpStatusCode.NoContent, clearAll.StatusCode);
        await sandbox.Kms("us-west-2", maxErrorRetry: 0).ListKeysAsync(new ListKeysRequest());
    }

    [Fact]
    public async Task QuotasAreTurnedOffAndOnOverHttp()
    {
        await using var sandbox = await SandboxHarness.StartAsync(enforceQuotas: true);
        using var http = new HttpClient { BaseAddress = sandbox.Server.Url };
        var kms = sandbox.Kms("ca-central-1", maxErrorRetry: 0);
        Assert.True((await http.GetFromJsonAsync<JsonElement>("/_sandbox/quotas")).GetProperty("enforce").GetBoolean());

        using var off = await http.PutAsJsonAsync("/_sandbox/quotas", new { enforce = false });
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        for (var i = 0; i < 12; i++) await kms.CreateKeyAsync(new CreateKeyRequest()); // CreateKey's quota is 5 a second

        using var on = await http.PutAsJsonAsync("/_sandbox/quotas", new { enforce = true });
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        // 30 at once against a bucket of 5 a second: however slow the machine, most arrive before it refills.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            try { await kms.CreateKeyAsync(new CreateKeyRequest()); return "ok"; }
            catch (Amazon.Runtime.AmazonServiceException ex) { return ex.ErrorCode; }
        }));
        Assert.Contains("ThrottlingException", outcomes);
        using var bad = await http.PutAsJsonAsync("/_sandbox/quotas", new { enforce = "sometimes" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task ResetDropsEverythingAndReseedsTheDemoAccount()
    {
        await using var sandbox = await SandboxHarness.StartAsync(seedDemo: true);
        using var http = new HttpClient { BaseAddress = sandbox.Server.Url };
        var demoKeys = (await sandbox.Kms("us-east-1").ListKeysAsync(new ListKeysRequest { Limit = 1000 })).Keys.Count;
        var mine = await sandbox.CreateKeyAsync("us-east-1");
        sandbox.Advance(TimeSpan.FromDays(3));

        using var reset = await http.PostAsync("/_sandbox/reset", null);

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var keys = (await sandbox.Kms("us-east-1").ListKeysAsync(new ListKeysRequest { Limit = 1000 })).Keys;
        Assert.Equal(demoKeys, keys.Count);
        Assert.DoesNotContain(keys, k => k.KeyId == mine.KeyId);
        Assert.InRange(sandbox.Control.Clock.UtcNow, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task ControlEndpointCanBeTurnedOff()
    {
        await using var sandbox = await SandboxHarness.StartAsync(configure: o => o.EnableControlEndpoint = false);
        using var http = new HttpClient { BaseAddress = sandbox.Server.Url };

        using var response = await http.PostAsync("/_sandbox/reset", null);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}
