using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox.Tests.Accounts;

/// <summary>SDK clients for a sandbox signed with long-term or role-session credentials, and raw JSON calls for services the tests have no SDK for.</summary>
internal static class AccountClients
{
    public const string LongTermKey = "AKIAI44QH8DHBEXAMPLE";

    public static AmazonSecurityTokenServiceClient Sts(SandboxServer server, AWSCredentials? credentials = null) =>
        new(credentials ?? new BasicAWSCredentials(LongTermKey, "secret"),
            new AmazonSecurityTokenServiceConfig { ServiceURL = server.Url.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    public static AmazonKeyManagementServiceClient Kms(SandboxServer server, string region, AWSCredentials? credentials = null) =>
        new(credentials ?? new BasicAWSCredentials(LongTermKey, "secret"),
            new AmazonKeyManagementServiceConfig { ServiceURL = server.Url.ToString(), AuthenticationRegion = region, MaxErrorRetry = 0 });

    public static async Task<Credentials> AssumeAsync(SandboxServer server, string account, string role = "KmsDashboard", string? externalId = "kmsdash-demo",
        string session = "kmsdashboard", string? sourceIdentity = null, int? duration = null, AWSCredentials? caller = null)
    {
        using var sts = Sts(server, caller);
        var response = await sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = $"arn:aws:iam::{account}:role/{role}",
            RoleSessionName = session,
            ExternalId = externalId,
            SourceIdentity = sourceIdentity,
            DurationSeconds = duration,
        });
        return response.Credentials;
    }

    public static SessionAWSCredentials AsAws(this Credentials credentials) =>
        new(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken);

    /// <summary>An AWS JSON call with a SigV4-shaped Authorization header (the sandbox reads the scope; it checks no signature).</summary>
    public static async Task<(int Status, JsonObject Body)> JsonAsync(SandboxServer server, string service, string region, string target,
        JsonObject body, string accessKeyId = LongTermKey, string? sessionToken = null, string contentType = "application/x-amz-json-1.1")
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Url)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKeyId}/20260101/{region}/{service}/aws4_request, SignedHeaders=host, Signature=00");
        if (sessionToken is not null) request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", sessionToken);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, string.IsNullOrWhiteSpace(text) ? [] : JsonNode.Parse(text)!.AsObject());
    }

    public static Task<(int Status, JsonObject Body)> OrganizationsAsync(SandboxServer server, string operation, JsonObject body,
        string accessKeyId = LongTermKey, string? sessionToken = null) =>
        JsonAsync(server, "organizations", "us-east-1", "AWSOrganizationsV20161128." + operation, body, accessKeyId, sessionToken);

    public static Task<(int Status, JsonObject Body)> LookupEventsAsync(SandboxServer server, string region, JsonObject body,
        string accessKeyId = LongTermKey, string? sessionToken = null) =>
        JsonAsync(server, "cloudtrail", region, "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents", body, accessKeyId, sessionToken);
}
