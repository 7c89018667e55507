using System.Security;
using System.Text.Json.Nodes;
using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.AspNetCore.Http;

namespace KmsDashboard.Sandbox.Sts;

/// <summary>
/// STS <c>GetCallerIdentity</c>, so a client pointed at the sandbox learns the account it is configured with (the
/// dashboard's banner, <c>aws sts get-caller-identity</c>). The query protocol (form body, XML answer) as the SDKs and the
/// CLI send it, and the AWS JSON 1.0 form newer SDKs may use. The caller is the principal the access key names in the
/// sandbox's CloudTrail. Other STS operations are answered as unsupported, saying so.
/// </summary>
internal sealed class StsService(SandboxOptions options) : ISandboxService
{
    private const string Namespace = "https://sts.amazonaws.com/doc/2011-06-15/";
    private const string JsonTargetPrefix = "AWSSecurityTokenServiceV20110615.";

    public string SigningName => "sts";

    public async Task HandleAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        var http = request.Http;
        var json = request.Target?.StartsWith(JsonTargetPrefix, StringComparison.Ordinal) == true;
        string? action;
        if (json) action = request.Target![JsonTargetPrefix.Length..];
        else
        {
            action = http.Request.Query["Action"].FirstOrDefault();
            if (action is null && http.Request.HasFormContentType)
                action = (await http.Request.ReadFormAsync(cancellationToken))["Action"].FirstOrDefault();
        }

        if (action != "GetCallerIdentity")
        {
            var message = $"The sandbox's STS serves GetCallerIdentity only, not {(string.IsNullOrEmpty(action) ? "a request without an Action" : action)}.";
            if (json) await SandboxDispatcher.WriteJsonErrorAsync(http, 400, "InvalidAction", message, "application/x-amz-json-1.0");
            else await WriteXmlAsync(http, 400, $"<ErrorResponse xmlns=\"{Namespace}\"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>{Escape(message)}</Message></Error><RequestId>{request.RequestId}</RequestId></ErrorResponse>");
            return;
        }

        var principal = TrailPrincipals.ForAccessKey(request.AccessKeyId);
        var identity = principal.ToUserIdentity(options.AccountId, request.AccessKeyId, DateTimeOffset.UtcNow, invokedBy: null);
        var arn = identity["arn"]?.GetValue<string>() ?? $"arn:aws:iam::{options.AccountId}:user/{principal.Name}";
        var userId = identity["principalId"]?.GetValue<string>() ?? principal.PrincipalId;
        if (json)
        {
            http.Response.ContentType = "application/x-amz-json-1.0";
            await http.Response.WriteAsync(new JsonObject { ["UserId"] = userId, ["Account"] = options.AccountId, ["Arn"] = arn }.ToJsonString(), cancellationToken);
            return;
        }
        await WriteXmlAsync(http, 200,
            $"<GetCallerIdentityResponse xmlns=\"{Namespace}\"><GetCallerIdentityResult><Arn>{Escape(arn)}</Arn><UserId>{Escape(userId)}</UserId>"
            + $"<Account>{options.AccountId}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>{request.RequestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>");
    }

    private static async Task WriteXmlAsync(HttpContext http, int status, string body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/xml";
        await http.Response.WriteAsync(body);
    }

    private static string Escape(string value) => SecurityElement.Escape(value) ?? "";
}
