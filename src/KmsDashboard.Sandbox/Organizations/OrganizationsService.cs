using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KmsDashboard.Sandbox.Accounts;
using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox.Organizations;

/// <summary>
/// AWS Organizations over AWS JSON 1.1 (<c>X-Amz-Target: AWSOrganizationsV20161128.&lt;Op&gt;</c>): <c>ListAccounts</c>
/// (management account only, 1–20 a page) and <c>DescribeOrganization</c> (any account of the organization), from the
/// sandbox's accounts. A sandbox of one account with no Accounts configured is no organization:
/// AWSOrganizationsNotInUseException. Other operations are refused, saying the sandbox serves only these two.
/// </summary>
internal sealed class OrganizationsService(SandboxAccounts accounts) : ISandboxService
{
    public const string OrganizationId = "o-sandbox01";
    private const string TargetPrefix = "AWSOrganizationsV20161128.";
    private const string ContentType = "application/x-amz-json-1.1";

    public string SigningName => "organizations";

    public async Task HandleAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        var http = request.Http;
        var target = request.Target ?? "";
        var operation = target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : target;
        JsonObject body;
        try
        {
            using var reader = new StreamReader(http.Request.Body);
            var text = await reader.ReadToEndAsync(cancellationToken);
            body = string.IsNullOrWhiteSpace(text) ? [] : JsonNode.Parse(text) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            await ErrorAsync(http, "SerializationException", "The request body is not a JSON object.");
            return;
        }
        if (operation is not ("ListAccounts" or "DescribeOrganization"))
        {
            await ErrorAsync(http, "UnsupportedAPIEndpointException",
                $"The sandbox's Organizations serves ListAccounts and DescribeOrganization only, not {(operation.Length == 0 ? "a request without X-Amz-Target" : operation)}.");
            return;
        }
        if (!accounts.IsOrganization)
        {
            await ErrorAsync(http, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.");
            return;
        }
        var caller = request.Account ?? accounts.Management;
        if (operation == "DescribeOrganization")
        {
            await WriteAsync(http, new JsonObject { ["Organization"] = Organization() }, cancellationToken);
            return;
        }
        if (!caller.IsManagement)
        {
            await ErrorAsync(http, "AccessDeniedException",
                $"You don't have permissions to access this resource: account {caller.Id} is a member account; ListAccounts is for the management account {accounts.Management.Id}.");
            return;
        }
        var max = 20;
        if (body["MaxResults"] is { } maxNode)
        {
            if (maxNode.GetValueKind() != JsonValueKind.Number || !maxNode.AsValue().TryGetValue<int>(out max) || max is < 1 or > 20)
            {
                await ErrorAsync(http, "InvalidInputException", "MaxResults must be a whole number from 1 to 20.");
                return;
            }
        }
        var start = 0;
        if (body["NextToken"] is { } tokenNode)
        {
            if (tokenNode.GetValueKind() != JsonValueKind.String || Decode(tokenNode.GetValue<string>()) is not { } decoded || decoded > accounts.All.Count)
            {
                await ErrorAsync(http, "InvalidInputException", "The NextToken is not one ListAccounts returned.");
                return;
            }
            start = decoded;
        }
        var page = accounts.All.Skip(start).Take(max).ToList();
        var answer = new JsonObject { ["Accounts"] = new JsonArray([.. page.Select(Account)]) };
        if (start + page.Count < accounts.All.Count) answer["NextToken"] = Encode(start + page.Count);
        await WriteAsync(http, answer, cancellationToken);
    }

    private JsonObject Organization()
    {
        var management = accounts.Management;
        return new JsonObject
        {
            ["Id"] = OrganizationId,
            ["Arn"] = $"arn:aws:organizations::{management.Id}:organization/{OrganizationId}",
            ["FeatureSet"] = "ALL",
            ["MasterAccountArn"] = AccountArn(management),
            ["MasterAccountId"] = management.Id,
            ["MasterAccountEmail"] = management.Email,
            ["AvailablePolicyTypes"] = new JsonArray(new JsonObject { ["Type"] = "SERVICE_CONTROL_POLICY", ["Status"] = "ENABLED" }),
        };
    }

    private JsonObject Account(SandboxAccount account) => new()
    {
        ["Id"] = account.Id,
        ["Arn"] = AccountArn(account),
        ["Email"] = account.Email,
        ["Name"] = account.Name,
        ["Status"] = "ACTIVE",
        ["State"] = "ACTIVE",
        ["JoinedMethod"] = account.IsManagement ? "INVITED" : "CREATED",
        ["JoinedTimestamp"] = account.Joined.ToUnixTimeSeconds(),
    };

    private string AccountArn(SandboxAccount account) =>
        $"arn:aws:organizations::{accounts.Management.Id}:account/{OrganizationId}/{account.Id}";

    private static string Encode(int index) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"accounts:{index}"));

    private static int? Decode(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith("accounts:", StringComparison.Ordinal) && int.TryParse(text["accounts:".Length..], out var index) && index > 0 ? index : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static Task ErrorAsync(Microsoft.AspNetCore.Http.HttpContext http, string code, string message) =>
        SandboxDispatcher.WriteJsonErrorAsync(http, 400, code, message, ContentType);

    private static async Task WriteAsync(Microsoft.AspNetCore.Http.HttpContext http, JsonObject body, CancellationToken cancellationToken)
    {
        http.Response.ContentType = ContentType;
        await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(http.Response, body.ToJsonString(), cancellationToken);
    }
}
