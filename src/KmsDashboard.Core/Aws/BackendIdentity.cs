using Amazon.Runtime;
using Amazon.SecurityToken.Model;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Aws;

/// <summary>
/// Says which backend is in use: the embedded sandbox, or the AWS account (from STS GetCallerIdentity) and Regions.
/// The answer is read once and kept; a failed read is retried on the next request.
/// </summary>
public sealed class BackendIdentity(AwsClients clients, ILogger<BackendIdentity> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private BackendDescription? _known;

    public async Task<BackendDescription> DescribeAsync(CancellationToken cancellationToken = default)
    {
        if (_known is { } known) return known;
        // Sandbox mode always means the sandbox the dashboard started in its own process.
        if (clients.Mode == BackendMode.Sandbox)
            return _known = new BackendDescription(BackendMode.Sandbox,
                $"Sandbox (embedded, {clients.ServiceUrl?.TrimEnd('/')})",
                clients.Regions, clients.ServiceUrl);

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_known is { } raced) return raced;
            var region = clients.Regions[0];
            var response = await clients.Sts(region).GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken);
            var endpoint = clients.ServiceUrl is { } url ? $" at {url.TrimEnd('/')}" : "";
            return _known = new BackendDescription(BackendMode.Aws,
                $"AWS account {response.Account}{endpoint} · {RegionCount(clients.Regions.Count)}",
                clients.Regions, clients.ServiceUrl, response.Account, response.Arn);
        }
        catch (Exception ex) when (ex is AmazonClientException or AmazonServiceException or HttpRequestException or InvalidOperationException)
        {
            logger.LogWarning("Could not read the caller identity from STS: {Error}", ex.Message);
            var endpoint = clients.ServiceUrl is { } url ? $" at {url.TrimEnd('/')}" : "";
            return new BackendDescription(BackendMode.Aws,
                $"AWS{endpoint} (account unknown) · {RegionCount(clients.Regions.Count)}",
                clients.Regions, clients.ServiceUrl, Error: ex.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string RegionCount(int count) => count == 1 ? "1 Region" : $"{count} Regions";
}
