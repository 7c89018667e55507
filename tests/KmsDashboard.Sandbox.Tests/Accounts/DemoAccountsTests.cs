using System.Text.Json.Nodes;
using KmsDashboard.Sandbox.Accounts;
using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Sandbox.S3;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.Tests.Accounts;

/// <summary>The demo sandbox (default options): two accounts, each with its own seeded estate, and the organization over them.</summary>
public sealed class DemoAccountsTests(DemoAccountsTests.DemoSandbox sandbox) : IClassFixture<DemoAccountsTests.DemoSandbox>
{
    private const string Management = "111122223333", Member = "444455556666";

    public sealed class DemoSandbox : IAsyncLifetime
    {
        public SandboxServer Server { get; private set; } = null!;

        public async Task InitializeAsync() => Server = await SandboxServer.StartAsync(new SandboxOptions { EnforceQuotas = false });

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    private SandboxServer Server => sandbox.Server;

    [Fact]
    public void TheDemoHasASecurityAndAPaymentsAccount()
    {
        var accounts = Server.Services.GetRequiredService<SandboxAccounts>();
        Assert.Equal([(Management, "demo-security", true), (Member, "demo-payments", false)], accounts.All.Select(a => (a.Id, a.Name, a.IsManagement)));
        foreach (var account in accounts.All)
        {
            Assert.Equal(["KmsDashboard", "OrganizationAccountAccessRole"], account.Roles.Select(r => r.Name));
            Assert.Equal("kmsdash-demo", account.Role("KmsDashboard")!.ExternalId);
            Assert.Null(account.Role("OrganizationAccountAccessRole")!.ExternalId);
        }
    }

    [Fact]
    public async Task ThePaymentsAccountHasItsOwnKeySetsAliasesAndFindings()
    {
        var credentials = await AccountClients.AssumeAsync(Server, Member);
        using var member = AccountClients.Kms(Server, "us-east-1", credentials.AsAws());
        using var management = AccountClients.Kms(Server, "us-east-1");

        var aliases = (await member.ListAliasesAsync(new ListAliasesRequest())).Aliases.Select(a => a.AliasName).ToList();
        Assert.Contains("alias/card-vault", aliases);
        Assert.Contains("alias/settlement-ledger", aliases);
        Assert.Contains("alias/fraud-scoring", aliases);
        Assert.DoesNotContain("alias/payments-prod", aliases);

        var vault = (await member.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/card-vault" })).KeyMetadata;
        Assert.StartsWith($"arn:aws:kms:us-east-1:{Member}:key/mrk-", vault.Arn);
        Assert.Equal(MultiRegionKeyType.PRIMARY, vault.MultiRegionConfiguration.MultiRegionKeyType);
        Assert.Equal(["ap-southeast-1", "eu-west-1"], vault.MultiRegionConfiguration.ReplicaKeys.Select(r => r.Region).Order());
        Assert.All(vault.MultiRegionConfiguration.ReplicaKeys, r => Assert.Contains($":{Member}:key/", r.Arn));

        var ledger = (await member.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/settlement-ledger" })).KeyMetadata;
        Assert.Equal(MultiRegionKeyType.REPLICA, ledger.MultiRegionConfiguration.MultiRegionKeyType);
        Assert.False((await member.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = ledger.KeyId })).KeyRotationEnabled);

        await Assert.ThrowsAsync<NotFoundException>(() => management.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/card-vault" }));
        await Assert.ThrowsAsync<NotFoundException>(() => member.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/payments-prod" }));

        // The modelled traffic (CloudWatch) and GetKeyLastUsage are the account's own world: the busy vault was used within hours.
        var used = await member.GetKeyLastUsageAsync(new GetKeyLastUsageRequest { KeyId = vault.KeyId });
        Assert.NotNull(used.KeyLastUsage);
        Assert.True(DateTime.UtcNow - used.KeyLastUsage.Timestamp!.Value.ToUniversalTime() < TimeSpan.FromHours(6), $"last used {used.KeyLastUsage.Timestamp}");
    }

    [Fact]
    public async Task ThePaymentsAccountHasItsOwnBucketsAndCloudTrailHistory()
    {
        var accounts = Server.Services.GetRequiredService<SandboxAccounts>();
        var memberS3 = accounts.ServicesOf(Member).GetRequiredService<S3SandboxState>();
        var managementS3 = Server.Services.GetRequiredService<S3SandboxState>();
        var archive = memberS3.GetBucket("payments-card-archive");
        Assert.NotNull(archive);
        Assert.Equal(6, memberS3.ListObjects("payments-card-archive").Count);
        Assert.All(memberS3.ListObjects("payments-card-archive"), o => Assert.Contains($":{Member}:key/mrk-", o.KmsKeyArn));
        Assert.Null(managementS3.GetBucket("payments-card-archive"));
        Assert.Null(memberS3.GetBucket("myapp-primary"));

        var credentials = await AccountClients.AssumeAsync(Server, Member);
        var (status, page) = await AccountClients.LookupEventsAsync(Server, "us-east-1", new JsonObject { ["MaxResults"] = 50 },
            credentials.AccessKeyId, credentials.SessionToken);
        Assert.Equal(200, status);
        var events = page["Events"]!.AsArray();
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal(Member, JsonNode.Parse(e!["CloudTrailEvent"]!.GetValue<string>())!["recipientAccountId"]!.GetValue<string>()));
        var kmsResources = events.SelectMany(e => e!["Resources"]!.AsArray()).Select(r => r!["ResourceName"]!.GetValue<string>())
            .Where(r => r.StartsWith("arn:aws:kms:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(kmsResources);
        Assert.All(kmsResources, arn => Assert.Contains($":{Member}:", arn));
    }

    [Fact]
    public async Task ListAccountsPagesThroughTheOrganization()
    {
        var (status, first) = await AccountClients.OrganizationsAsync(Server, "ListAccounts", new JsonObject { ["MaxResults"] = 1 });
        Assert.Equal(200, status);
        var account = first["Accounts"]!.AsArray().Single()!;
        Assert.Equal(Management, account["Id"]!.GetValue<string>());
        Assert.Equal($"arn:aws:organizations::{Management}:account/o-sandbox01/{Management}", account["Arn"]!.GetValue<string>());
        Assert.Equal("demo-security", account["Name"]!.GetValue<string>());
        Assert.Equal("ACTIVE", account["Status"]!.GetValue<string>());
        Assert.True(account["JoinedTimestamp"]!.GetValue<long>() > 1_500_000_000);
        var token = first["NextToken"]!.GetValue<string>();

        var (_, second) = await AccountClients.OrganizationsAsync(Server, "ListAccounts", new JsonObject { ["MaxResults"] = 1, ["NextToken"] = token });
        Assert.Equal([Member], second["Accounts"]!.AsArray().Select(a => a!["Id"]!.GetValue<string>()));
        Assert.Null(second["NextToken"]);

        var (_, all) = await AccountClients.OrganizationsAsync(Server, "ListAccounts", []);
        Assert.Equal([Management, Member], all["Accounts"]!.AsArray().Select(a => a!["Id"]!.GetValue<string>()));
        Assert.Equal(["payments@example.com", "security@example.com"], all["Accounts"]!.AsArray().Select(a => a!["Email"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task OrganizationsRefusesWhatItDoesNotServe()
    {
        var (badMax, tooMany) = await AccountClients.OrganizationsAsync(Server, "ListAccounts", new JsonObject { ["MaxResults"] = 21 });
        Assert.Equal((400, "InvalidInputException"), (badMax, tooMany["__type"]!.GetValue<string>()));
        var (badToken, token) = await AccountClients.OrganizationsAsync(Server, "ListAccounts", new JsonObject { ["NextToken"] = "nonsense" });
        Assert.Equal((400, "InvalidInputException"), (badToken, token["__type"]!.GetValue<string>()));
        var (other, unsupported) = await AccountClients.OrganizationsAsync(Server, "CreateAccount", new JsonObject { ["AccountName"] = "x" });
        Assert.Equal((400, "UnsupportedAPIEndpointException"), (other, unsupported["__type"]!.GetValue<string>()));
        Assert.Contains("ListAccounts and DescribeOrganization", unsupported["message"]!.GetValue<string>());

        // A member account may describe its organization but not list the accounts.
        var credentials = await AccountClients.AssumeAsync(Server, Member);
        var (denied, error) = await AccountClients.OrganizationsAsync(Server, "ListAccounts", [], credentials.AccessKeyId, credentials.SessionToken);
        Assert.Equal((400, "AccessDeniedException"), (denied, error["__type"]!.GetValue<string>()));
        var (ok, described) = await AccountClients.OrganizationsAsync(Server, "DescribeOrganization", [], credentials.AccessKeyId, credentials.SessionToken);
        Assert.Equal(200, ok);
        Assert.Equal("o-sandbox01", described["Organization"]!["Id"]!.GetValue<string>());
        Assert.Equal(Management, described["Organization"]!["MasterAccountId"]!.GetValue<string>());
    }

    [Fact]
    public async Task ALoneAccountIsNoOrganization()
    {
        await using var lone = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = false });
        Assert.Single(lone.Services.GetRequiredService<SandboxAccounts>().All);
        var (status, body) = await AccountClients.OrganizationsAsync(lone, "DescribeOrganization", []);
        Assert.Equal((400, "AWSOrganizationsNotInUseException"), (status, body["__type"]!.GetValue<string>()));
    }
}
