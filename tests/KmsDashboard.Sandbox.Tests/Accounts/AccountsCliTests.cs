using System.Diagnostics;
using System.Text.Json;
using KmsDashboard.Sandbox.Accounts;
using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Sandbox.Kms;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.Tests.Accounts;

/// <summary>
/// Clients nobody here wrote: the Python <c>aws</c> CLI assumes the member account's role and lists that account's keys with
/// the session's credentials, and pages through the organization; a boto3 script does the same through its own code paths.
/// </summary>
public sealed class AccountsCliTests
{
    private const string Member = "444455556666";

    [SkippableFact]
    public async Task TheAwsCliAssumesARoleAndWorksInThatAccount()
    {
        var aws = ExternalTool.Require("aws");
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { EnforceQuotas = false, SeedDemoBuckets = false });
        var endpoint = server.Url.ToString().TrimEnd('/');

        var assumed = await RunAsync(aws, endpoint, null, "sts", "assume-role", "--role-arn", $"arn:aws:iam::{Member}:role/KmsDashboard",
            "--role-session-name", "cli-session", "--external-id", "kmsdash-demo", "--source-identity", "cli-user", "--duration-seconds", "900");
        var credentials = assumed.GetProperty("Credentials");
        var session = (credentials.GetProperty("AccessKeyId").GetString()!, credentials.GetProperty("SecretAccessKey").GetString()!,
            credentials.GetProperty("SessionToken").GetString()!);
        Assert.StartsWith("ASIA", session.Item1);
        Assert.Equal($"arn:aws:sts::{Member}:assumed-role/KmsDashboard/cli-session", assumed.GetProperty("AssumedRoleUser").GetProperty("Arn").GetString());
        Assert.Equal("cli-user", assumed.GetProperty("SourceIdentity").GetString());

        var listed = RunAsync(aws, endpoint, session, "kms", "list-keys");
        var identity = RunAsync(aws, endpoint, session, "sts", "get-caller-identity");
        var accounts = RunAsync(aws, endpoint, null, "organizations", "list-accounts", "--page-size", "1");
        var denied = RunAsync(aws, endpoint, null, expectSuccess: false, "sts", "assume-role", "--role-arn", $"arn:aws:iam::{Member}:role/KmsDashboard",
            "--role-session-name", "cli-session", "--external-id", "guessed");
        await Task.WhenAll(listed, identity, accounts, denied);

        var memberKeys = server.Services.GetRequiredService<SandboxAccounts>().ServicesOf(Member).GetRequiredService<KmsSandboxState>()
            .ListKeys("us-east-1").Select(k => k.Arn).Order().ToList();
        var managementKeys = server.Services.GetRequiredService<KmsSandboxState>().ListKeys("us-east-1").Select(k => k.Arn).ToList();
        var keys = (await listed).GetProperty("Keys").EnumerateArray().Select(k => k.GetProperty("KeyArn").GetString()!).Order().ToList();
        Assert.Equal(memberKeys, keys);
        Assert.NotEmpty(keys);
        Assert.Empty(keys.Intersect(managementKeys));
        Assert.Equal(Member, (await identity).GetProperty("Account").GetString());
        // --page-size 1 makes the CLI follow NextToken.
        Assert.Equal(["111122223333", Member], (await accounts).GetProperty("Accounts").EnumerateArray().Select(a => a.GetProperty("Id").GetString()));
        Assert.Contains("AccessDenied", (await denied).GetProperty("stderr").GetString());
    }

    private const string Boto3Script = """
        import json, sys, boto3
        endpoint = sys.argv[1]
        base = boto3.session.Session(aws_access_key_id="AKIAI44QH8DHBEXAMPLE", aws_secret_access_key="x", region_name="eu-west-1")
        creds = base.client("sts", endpoint_url=endpoint).assume_role(
            RoleArn="arn:aws:iam::444455556666:role/OrganizationAccountAccessRole", RoleSessionName="boto3-session", SourceIdentity="boto3-user")["Credentials"]
        member = boto3.session.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                                       aws_session_token=creds["SessionToken"], region_name="eu-west-1")
        aliases = [a["AliasName"] for a in member.client("kms", endpoint_url=endpoint).list_aliases()["Aliases"]]
        identity = member.client("sts", endpoint_url=endpoint).get_caller_identity()
        orgs = base.client("organizations", endpoint_url=endpoint, region_name="us-east-1")
        ids = [a["Id"] for page in orgs.get_paginator("list_accounts").paginate(PaginationConfig={"PageSize": 1}) for a in page["Accounts"]]
        try:
            member.client("organizations", endpoint_url=endpoint, region_name="us-east-1").list_accounts()
            member_error = None
        except Exception as e:
            member_error = e.response["Error"]["Code"]
        print(json.dumps({"aliases": aliases, "account": identity["Account"], "arn": identity["Arn"], "ids": ids, "memberError": member_error,
                          "expiration": str(creds["Expiration"])}))
        """;

    [SkippableFact]
    public async Task Boto3AssumesARoleAndPagesThroughTheOrganization()
    {
        var python = ExternalTool.Require("python3");
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { EnforceQuotas = false, SeedDemoBuckets = false });
        var directory = Directory.CreateTempSubdirectory("boto3-accounts-").FullName;
        try
        {
            var script = Path.Combine(directory, "accounts.py");
            await File.WriteAllTextAsync(script, Boto3Script);
            var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { script, server.Url.ToString().TrimEnd('/') }) start.ArgumentList.Add(arg);
            foreach (var name in new[] { "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY" })
                start.Environment.Remove(name);
            start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
            start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            var error = await stderr;
            if (error.Contains("No module named 'boto3'", StringComparison.Ordinal))
            {
                if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail("boto3 is required on CI.");
                Skip.If(true, "boto3 is not installed for python3.");
            }
            Assert.True(process.ExitCode == 0, $"python3 exited {process.ExitCode}: {error}");
            var result = JsonDocument.Parse(await stdout).RootElement;
            var aliases = result.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()).ToList();
            Assert.Contains("alias/card-vault", aliases);
            Assert.Contains("alias/payouts-signing", aliases);
            Assert.DoesNotContain("alias/orders-db", aliases);
            Assert.Equal(Member, result.GetProperty("account").GetString());
            Assert.Equal($"arn:aws:sts::{Member}:assumed-role/OrganizationAccountAccessRole/boto3-session", result.GetProperty("arn").GetString());
            Assert.Equal(["111122223333", Member], result.GetProperty("ids").EnumerateArray().Select(a => a.GetString()));
            Assert.Equal("AccessDeniedException", result.GetProperty("memberError").GetString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Runs the CLI with long-term credentials or a session's; JSON out, or {"stderr": …} when failure is expected.</summary>
    private static Task<JsonElement> RunAsync(string aws, string endpoint, (string Key, string Secret, string Token)? session, params string[] args) =>
        RunAsync(aws, endpoint, session, expectSuccess: true, args);

    private static async Task<JsonElement> RunAsync(string aws, string endpoint, (string Key, string Secret, string Token)? session, bool expectSuccess, params string[] args)
    {
        const string region = "us-east-1";
        var start = new ProcessStartInfo(aws) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[.. args, "--endpoint-url", endpoint, "--region", region, "--output", "json"]) start.ArgumentList.Add(arg);
        start.Environment["AWS_ACCESS_KEY_ID"] = session?.Key ?? "AKIAI44QH8DHBEXAMPLE";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = session?.Secret ?? "cli-secret";
        if (session is { } s) start.Environment["AWS_SESSION_TOKEN"] = s.Token;
        else start.Environment.Remove("AWS_SESSION_TOKEN");
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_PAGER"] = "";
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";
        start.Environment.Remove("AWS_PROFILE");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        var error = await stderr;
        if (!expectSuccess)
        {
            Assert.NotEqual(0, process.ExitCode);
            return JsonSerializer.SerializeToElement(new { stderr = error });
        }
        Assert.True(process.ExitCode == 0, $"aws {string.Join(' ', args)} exited {process.ExitCode}: {error}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
