using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;

namespace KmsDashboard.Sandbox.Tests.Kms;

/// <summary>The standalone sandbox (<c>dotnet KmsDashboard.Sandbox.dll --urls …</c>, what <c>dotnet run</c> starts) serves KMS.</summary>
public sealed class StandaloneProgramTests
{
    [Fact]
    public async Task StandaloneSandboxServesTheDemoAccountAndTheControlEndpoint()
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "KmsDashboard.Sandbox.dll"), "--urls", url, "--Sandbox:EnforceQuotas=false" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(5) };
            await WaitUntilUpAsync(http, process);

            using var kms = new AmazonKeyManagementServiceClient(new BasicAWSCredentials("AKIDSTANDALONE", "secret"),
                new AmazonKeyManagementServiceConfig { ServiceURL = url, AuthenticationRegion = "ap-northeast-1" });
            var keys = await kms.ListKeysAsync(new ListKeysRequest());
            Assert.NotEmpty(keys.Keys);
            var pii = await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/customer-pii" });
            Assert.Equal(MultiRegionKeyType.REPLICA, pii.KeyMetadata.MultiRegionConfiguration.MultiRegionKeyType);
            using var advance = await http.PostAsync("/_sandbox/clock/advance?seconds=60", null);
            Assert.Equal(HttpStatusCode.OK, advance.StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            _ = await output;
            _ = await errors;
        }
    }

    private static async Task WaitUntilUpAsync(HttpClient http, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(process.HasExited, "The standalone sandbox exited during start-up.");
            try
            {
                using var health = await http.GetAsync("/_sandbox/health");
                if (health.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Still starting on a busy machine.
            }
            await Task.Delay(200);
        }
        Assert.Fail("The standalone sandbox did not answer /_sandbox/health within 60 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
