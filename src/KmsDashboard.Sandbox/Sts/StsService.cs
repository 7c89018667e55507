using System.Globalization;
using System.Security;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KmsDashboard.Sandbox.Accounts;
using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.Sts;

/// <summary>
/// STS for every account of the sandbox: <c>GetCallerIdentity</c> answers for the account and principal of the signing key
/// (a role session's assumed-role ARN), and <c>AssumeRole</c> issues temporary credentials for a role of any sandbox
/// account (external id checked, session name and source identity validated, 900–43,200 seconds, one hour when chained)
/// whose calls then act in that account until they expire on the sandbox clock. The query protocol (form body, XML answer)
/// as the SDKs and the CLI send it, and the AWS JSON 1.0 form newer SDKs may use. AssumeRole is recorded in the CloudTrail
/// of the role's account (and of the caller's). Other STS operations are answered as unsupported, saying so.
/// </summary>
internal sealed partial class StsService(SandboxAccounts accounts, StsSessions sessions, SandboxClock clock) : ISandboxService
{
    private const string Namespace = "https://sts.amazonaws.com/doc/2011-06-15/";
    private const string JsonTargetPrefix = "AWSSecurityTokenServiceV20110615.";
    private const string JsonContentType = "application/x-amz-json-1.0";
    private static readonly TimeSpan ChainedLimit = TimeSpan.FromHours(1);

    public string SigningName => "sts";

    public async Task HandleAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        var http = request.Http;
        var json = IsJson(request.Target);
        Dictionary<string, string?> parameters;
        string? action;
        try
        {
            (action, parameters) = await ReadAsync(request, json, cancellationToken);
        }
        catch (JsonException)
        {
            await WriteErrorAsync(request, json, 400, "SerializationException", "The request body is not valid JSON.");
            return;
        }
        try
        {
            switch (action)
            {
                case "GetCallerIdentity":
                    await GetCallerIdentityAsync(request, json, cancellationToken);
                    return;
                case "AssumeRole":
                    await AssumeRoleAsync(request, json, parameters, cancellationToken);
                    return;
                default:
                    await WriteErrorAsync(request, json, 400, "InvalidAction",
                        $"The sandbox's STS serves GetCallerIdentity and AssumeRole only, not {(string.IsNullOrEmpty(action) ? "a request without an Action" : action)}.");
                    return;
            }
        }
        catch (StsException ex)
        {
            await WriteErrorAsync(request, json, ex.Status, ex.Code, ex.Message);
        }
    }

    public Task WriteFaultAsync(HttpContext http, int status, string code, string message) => IsJson(http.Request.Headers["X-Amz-Target"].FirstOrDefault())
        ? SandboxDispatcher.WriteJsonErrorAsync(http, status, code, message, JsonContentType)
        : WriteXmlErrorAsync(http, status, code, message, http.Response.Headers["x-amzn-RequestId"].ToString());

    public Task WriteAuthErrorAsync(HttpContext http, bool expired) => expired
        ? WriteFaultAsync(http, 400, IsJson(http.Request.Headers["X-Amz-Target"].FirstOrDefault()) ? "ExpiredTokenException" : "ExpiredToken",
            "The security token included in the request is expired")
        : WriteFaultAsync(http, 403, "InvalidClientTokenId", "The security token included in the request is invalid.");

    private async Task GetCallerIdentityAsync(SandboxRequest request, bool json, CancellationToken cancellationToken)
    {
        var (account, arn, userId) = Caller(request);
        if (json)
        {
            await WriteJsonAsync(request.Http, new JsonObject { ["UserId"] = userId, ["Account"] = account, ["Arn"] = arn }, cancellationToken);
            return;
        }
        await WriteXmlAsync(request.Http, 200,
            $"<GetCallerIdentityResponse xmlns=\"{Namespace}\"><GetCallerIdentityResult><Arn>{Escape(arn)}</Arn><UserId>{Escape(userId)}</UserId>"
            + $"<Account>{account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>{request.RequestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>");
    }

    private async Task AssumeRoleAsync(SandboxRequest request, bool json, Dictionary<string, string?> parameters, CancellationToken cancellationToken)
    {
        var roleArn = Required(parameters, "RoleArn", "roleArn", 20, 2048);
        var sessionName = Required(parameters, "RoleSessionName", "roleSessionName", 2, 64);
        if (!SessionNamePattern().IsMatch(sessionName)) throw PatternError(sessionName, "roleSessionName", @"[\w+=,.@-]*");
        var externalId = Optional(parameters, "ExternalId", "externalId", 2, 1224);
        if (externalId is not null && !ExternalIdPattern().IsMatch(externalId)) throw PatternError(externalId, "externalId", @"[\w+=,.@:\/-]*");
        var sourceIdentity = Optional(parameters, "SourceIdentity", "sourceIdentity", 2, 64);
        if (sourceIdentity is not null && !SessionNamePattern().IsMatch(sourceIdentity)) throw PatternError(sourceIdentity, "sourceIdentity", @"[\w+=,.@-]*");
        if (sourceIdentity?.StartsWith("aws:", StringComparison.OrdinalIgnoreCase) == true)
            throw new StsException("ValidationError", "SourceIdentity cannot start with 'aws:'.", 400);
        var duration = TimeSpan.FromSeconds(3600);
        if (parameters.GetValueOrDefault("DurationSeconds") is { } durationText)
        {
            if (!int.TryParse(durationText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                throw new StsException("ValidationError", $"DurationSeconds '{durationText}' is not a whole number of seconds.", 400);
            if (seconds < 900) throw new StsException("ValidationError", $"1 validation error detected: Value '{seconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900", 400);
            if (seconds > 43200) throw new StsException("ValidationError", $"1 validation error detected: Value '{seconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200", 400);
            duration = TimeSpan.FromSeconds(seconds);
        }
        var caller = Caller(request);
        var chained = request.Session is not null || request.Principal.Type == "AssumedRole";
        if (chained && duration > ChainedLimit)
            throw new StsException("ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", 400);

        var match = RoleArnPattern().Match(roleArn);
        if (!match.Success)
            throw new StsException("ValidationError", $"{roleArn} is not a role ARN: give arn:aws:iam::ACCOUNT:role/NAME.", 400);
        var denied = new StsException("AccessDenied", $"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}", 403);
        var target = accounts.Find(match.Groups["account"].Value) ?? throw denied;
        var role = target.Role(match.Groups["name"].Value) ?? throw denied;
        if (role.ExternalId is not null && !string.Equals(role.ExternalId, externalId, StringComparison.Ordinal)) throw denied;
        // A source identity, once set, stays with every session chained from it.
        if (request.Session?.SourceIdentity is { } inherited)
        {
            if (sourceIdentity is not null && sourceIdentity != inherited) throw denied;
            sourceIdentity = inherited;
        }

        var now = clock.UtcNow;
        var session = sessions.Issue(role, sessionName, sourceIdentity, now, duration, chained);
        Record(request, target, session, roleArn, sessionName, externalId, sourceIdentity, (int)duration.TotalSeconds, now);
        if (json)
        {
            var body = new JsonObject
            {
                ["Credentials"] = new JsonObject
                {
                    ["AccessKeyId"] = session.AccessKeyId,
                    ["SecretAccessKey"] = session.SecretAccessKey,
                    ["SessionToken"] = session.SessionToken,
                    ["Expiration"] = session.Expiration.ToUnixTimeSeconds(),
                },
                ["AssumedRoleUser"] = new JsonObject { ["AssumedRoleId"] = session.AssumedRoleId, ["Arn"] = session.Arn },
                ["PackedPolicySize"] = 0,
            };
            if (sourceIdentity is not null) body["SourceIdentity"] = sourceIdentity;
            await WriteJsonAsync(request.Http, body, cancellationToken);
            return;
        }
        await WriteXmlAsync(request.Http, 200,
            $"<AssumeRoleResponse xmlns=\"{Namespace}\"><AssumeRoleResult>"
            + (sourceIdentity is null ? "" : $"<SourceIdentity>{Escape(sourceIdentity)}</SourceIdentity>")
            + $"<AssumedRoleUser><AssumedRoleId>{Escape(session.AssumedRoleId)}</AssumedRoleId><Arn>{Escape(session.Arn)}</Arn></AssumedRoleUser>"
            + $"<Credentials><AccessKeyId>{session.AccessKeyId}</AccessKeyId><SecretAccessKey>{Escape(session.SecretAccessKey)}</SecretAccessKey>"
            + $"<SessionToken>{Escape(session.SessionToken)}</SessionToken><Expiration>{Iso(session.Expiration)}</Expiration></Credentials>"
            + $"<PackedPolicySize>0</PackedPolicySize></AssumeRoleResult><ResponseMetadata><RequestId>{request.RequestId}</RequestId></ResponseMetadata></AssumeRoleResponse>");
    }

    /// <summary>AssumeRole in the CloudTrail of the role's account, and of the caller's when that is another.</summary>
    private void Record(SandboxRequest request, SandboxAccount target, StsSession session, string roleArn, string sessionName, string? externalId,
        string? sourceIdentity, int durationSeconds, DateTimeOffset now)
    {
        var parameters = new JsonObject { ["RoleArn"] = roleArn, ["RoleSessionName"] = sessionName, ["DurationSeconds"] = durationSeconds };
        if (externalId is not null) parameters["ExternalId"] = externalId;
        if (sourceIdentity is not null) parameters["SourceIdentity"] = sourceIdentity;
        var response = new JsonObject
        {
            ["Credentials"] = new JsonObject { ["AccessKeyId"] = session.AccessKeyId, ["Expiration"] = Iso(session.Expiration) },
            ["AssumedRoleUser"] = new JsonObject { ["AssumedRoleId"] = session.AssumedRoleId, ["Arn"] = session.Arn },
        };
        if (sourceIdentity is not null) response["SourceIdentity"] = sourceIdentity;
        var callerAccount = request.Account ?? accounts.Management;
        foreach (var account in new[] { target, callerAccount }.Distinct())
        {
            account.Services.GetRequiredService<SandboxCallLog>().Publish(new SandboxCall
            {
                Time = now,
                Region = request.Region,
                Service = "sts",
                Operation = "AssumeRole",
                RequestId = request.RequestId,
                AccessKeyId = request.AccessKeyId,
                SourceIp = request.SourceIp,
                UserAgent = request.UserAgent ?? "",
                ReadOnly = true,
                RequestParameters = (JsonObject)parameters.DeepClone(),
                ResponseElements = (JsonObject)response.DeepClone(),
                Resources = [roleArn],
                Principal = request.Principal with { AccountId = callerAccount.Id },
            });
        }
    }

    /// <summary>The signer's account, ARN and user id.</summary>
    private (string Account, string Arn, string UserId) Caller(SandboxRequest request)
    {
        if (request.Session is { } session) return (session.AccountId, session.Arn, session.AssumedRoleId);
        var account = (request.Account ?? accounts.Management).Id;
        var identity = request.Principal.ToUserIdentity(account, request.AccessKeyId, DateTimeOffset.UtcNow, invokedBy: null);
        var arn = identity["arn"]?.GetValue<string>() ?? $"arn:aws:iam::{account}:user/{request.Principal.Name}";
        var userId = identity["principalId"]?.GetValue<string>() ?? request.Principal.PrincipalId;
        return (account, arn, userId);
    }

    private static async Task<(string? Action, Dictionary<string, string?> Parameters)> ReadAsync(SandboxRequest request, bool json, CancellationToken cancellationToken)
    {
        var http = request.Http;
        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (json)
        {
            using var reader = new StreamReader(http.Request.Body);
            var text = await reader.ReadToEndAsync(cancellationToken);
            if (!string.IsNullOrWhiteSpace(text) && JsonNode.Parse(text) is JsonObject body)
            {
                foreach (var (name, value) in body)
                    parameters[name] = value?.GetValueKind() switch
                    {
                        JsonValueKind.String => value.GetValue<string>(),
                        JsonValueKind.Number => value.ToJsonString(),
                        _ => value?.ToJsonString(),
                    };
            }
            return (request.Target![JsonTargetPrefix.Length..], parameters);
        }
        foreach (var (name, value) in http.Request.Query) parameters[name] = value.FirstOrDefault();
        if (http.Request.HasFormContentType)
            foreach (var (name, value) in await http.Request.ReadFormAsync(cancellationToken)) parameters[name] = value.FirstOrDefault();
        return (parameters.GetValueOrDefault("Action"), parameters);
    }

    private static string Required(Dictionary<string, string?> parameters, string name, string member, int min, int max) =>
        Optional(parameters, name, member, min, max)
        ?? throw new StsException("ValidationError", $"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null", 400);

    private static string? Optional(Dictionary<string, string?> parameters, string name, string member, int min, int max)
    {
        if (parameters.GetValueOrDefault(name) is not { } value) return null;
        if (value.Length < min)
            throw new StsException("ValidationError", $"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must have length greater than or equal to {min}", 400);
        if (value.Length > max)
            throw new StsException("ValidationError", $"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must have length less than or equal to {max}", 400);
        return value;
    }

    private static StsException PatternError(string value, string member, string pattern) =>
        new("ValidationError", $"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}", 400);

    private static bool IsJson(string? target) => target?.StartsWith(JsonTargetPrefix, StringComparison.Ordinal) == true;

    private static Task WriteErrorAsync(SandboxRequest request, bool json, int status, string code, string message) => json
        ? SandboxDispatcher.WriteJsonErrorAsync(request.Http, status, code, message, JsonContentType)
        : WriteXmlErrorAsync(request.Http, status, code, message, request.RequestId);

    private static Task WriteXmlErrorAsync(HttpContext http, int status, string code, string message, string requestId) =>
        WriteXmlAsync(http, status, $"<ErrorResponse xmlns=\"{Namespace}\"><Error><Type>Sender</Type><Code>{Escape(code)}</Code><Message>{Escape(message)}</Message></Error><RequestId>{requestId}</RequestId></ErrorResponse>");

    private static async Task WriteJsonAsync(HttpContext http, JsonObject body, CancellationToken cancellationToken)
    {
        http.Response.ContentType = JsonContentType;
        await http.Response.WriteAsync(body.ToJsonString(), cancellationToken);
    }

    private static async Task WriteXmlAsync(HttpContext http, int status, string body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/xml";
        await http.Response.WriteAsync(body);
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Escape(string value) => SecurityElement.Escape(value) ?? "";

    [GeneratedRegex(@"^[\w+=,.@-]*$", RegexOptions.ECMAScript)]
    private static partial Regex SessionNamePattern();

    [GeneratedRegex(@"^[\w+=,.@:/-]*$", RegexOptions.ECMAScript)]
    private static partial Regex ExternalIdPattern();

    [GeneratedRegex(@"^arn:aws:iam::(?<account>\d{12}):role/(?:[\w+=,.@-]+/)*(?<name>[\w+=,.@-]{1,64})$", RegexOptions.ECMAScript)]
    private static partial Regex RoleArnPattern();

    private sealed class StsException(string code, string message, int status) : Exception(message)
    {
        public string Code { get; } = code;
        public int Status { get; } = status;
    }
}
