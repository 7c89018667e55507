using System.Text.Json;
using KmsDashboard.Sandbox.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.Hosting;

/// <summary>
/// Routes every AWS request to the service named by its SigV4 credential scope, in the account of its signing key:
/// temporary credentials from STS AssumeRole act in the role's account (until they expire), every other key in the
/// management account. STS and Organizations are one service for all accounts.
/// </summary>
public sealed class SandboxDispatcher
{
    private static readonly string[] AccountWide = ["sts", "organizations"];
    private readonly SandboxFaults _faults;
    private readonly SandboxClock _clock;
    private readonly SandboxAccounts _accounts;
    private readonly SandboxRequestCounter? _counter;
    private readonly Dictionary<string, ISandboxService> _global;
    private readonly Dictionary<string, Dictionary<string, ISandboxService>> _byAccount = new(StringComparer.Ordinal);

    public SandboxDispatcher(IEnumerable<ISandboxService> services, SandboxFaults faults, SandboxClock clock, SandboxAccounts accounts,
        SandboxRequestCounter? counter = null)
    {
        _counter = counter;
        _faults = faults;
        _clock = clock;
        _accounts = accounts;
        var root = services.ToDictionary(s => s.SigningName, StringComparer.OrdinalIgnoreCase);
        _global = root.Where(s => AccountWide.Contains(s.Key, StringComparer.OrdinalIgnoreCase))
            .ToDictionary(s => s.Key, s => s.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var account in accounts.All)
        {
            var own = account.IsManagement ? root : account.Services.GetServices<ISandboxService>().ToDictionary(s => s.SigningName, StringComparer.OrdinalIgnoreCase);
            foreach (var (name, service) in _global) own.TryAdd(name, service);
            _byAccount[account.Id] = own;
        }
    }

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
        _counter?.Count(scope.Service);
        var session = _accounts.Session(scope.AccessKeyId);
        var account = session is null ? _accounts.Management : _accounts.Find(session.AccountId) ?? _accounts.Management;
        if (!_byAccount[account.Id].TryGetValue(scope.Service, out var service))
        {
            await WriteJsonErrorAsync(http, 400, "UnknownOperationException", $"The sandbox does not serve '{scope.Service}'.");
            return;
        }
        var fault = _faults.For(scope.Region);
        var latency = _faults.GlobalLatency + fault.Latency;
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
        if (session is not null)
        {
            var token = http.Request.Headers["X-Amz-Security-Token"].FirstOrDefault() ?? http.Request.Query["X-Amz-Security-Token"].FirstOrDefault();
            if (!string.Equals(token, session.SessionToken, StringComparison.Ordinal))
            {
                await service.WriteAuthErrorAsync(http, expired: false);
                return;
            }
            if (session.IsExpired(_clock.UtcNow))
            {
                await service.WriteAuthErrorAsync(http, expired: true);
                return;
            }
        }
        var request = new SandboxRequest(http, scope.Region, scope.Service, scope.AccessKeyId, requestId)
        {
            Account = account,
            Session = session,
            Principal = session?.Principal ?? CloudTrail.TrailPrincipals.ForAccessKey(scope.AccessKeyId),
        };
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
