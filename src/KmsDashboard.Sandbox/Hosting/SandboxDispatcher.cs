using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace KmsDashboard.Sandbox.Hosting;

/// <summary>Routes every AWS request to the service named by its SigV4 credential scope.</summary>
public sealed class SandboxDispatcher(IEnumerable<ISandboxService> services, SandboxFaults faults)
{
    private readonly Dictionary<string, ISandboxService> _services =
        services.ToDictionary(s => s.SigningName, StringComparer.OrdinalIgnoreCase);

    public async Task DispatchAsync(HttpContext http)
    {
        var requestId = Guid.NewGuid().ToString();
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        var scope = CredentialScope.Parse(http.Request.Headers.Authorization.FirstOrDefault())
                    ?? CredentialScope.ParseQuery(http.Request.Query["X-Amz-Credential"].FirstOrDefault());
        if (scope is null)
        {
            await WriteJsonErrorAsync(http, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
            return;
        }
        if (!_services.TryGetValue(scope.Service, out var service))
        {
            await WriteJsonErrorAsync(http, 400, "UnknownOperationException", $"The sandbox does not serve '{scope.Service}'.");
            return;
        }
        var fault = faults.For(scope.Region);
        var latency = faults.GlobalLatency + fault.Latency;
        if (latency > TimeSpan.Zero) await Task.Delay(latency, http.RequestAborted);
        if (fault.Outage)
        {
            await service.WriteFaultAsync(http, 503, "ServiceUnavailableException", $"The sandbox's {scope.Region} is made to be down.");
            return;
        }
        if (fault.Throttle)
        {
            await service.WriteFaultAsync(http, 400, "ThrottlingException", "Rate exceeded");
            return;
        }
        var request = new SandboxRequest(http, scope.Region, scope.Service, scope.AccessKeyId, requestId);
        await service.HandleAsync(request, http.RequestAborted);
    }

    /// <summary>The AWS JSON protocol's error body: <c>{"__type": code, "message": text}</c>.</summary>
    public static async Task WriteJsonErrorAsync(HttpContext http, int status, string code, string message, string contentType = "application/x-amz-json-1.1")
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        await JsonSerializer.SerializeAsync(http.Response.Body, new Dictionary<string, string> { ["__type"] = code, ["message"] = message });
    }
}
