using Amazon.KeyManagementService.Model;
using Amazon.SecurityToken.Model;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.Accounts;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Tests.Moto;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Tests.Accounts;

/// <summary>
/// The multi-account layer against moto, an emulator nobody here wrote: our signed Organizations client lists the
/// accounts moto's organization holds, and the inventory reads two accounts through roles assumed with STS, each key
/// carrying its own account.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class MotoAccountsTests(MotoServer moto)
{
    private const string Region = "us-east-1";

    /// <summary>Calls moto's Organizations operations the dashboard itself never makes (creating the organization).</summary>
    private sealed class OrganizationsAdmin(Amazon.Runtime.AWSCredentials credentials, Uri endpoint)
        : AwsJsonClient(credentials, "us-east-1", AwsJsonProtocol.Organizations, endpoint)
    {
        public Task<Dictionary<string, object>> CallAsync(string operation, object request) =>
            InvokeAsync<object, Dictionary<string, object>>(operation, request, CancellationToken.None);
    }

    [SkippableFact]
    public async Task OrganizationsListAccountsIsSignedAndPagedAgainstMoto()
    {
        moto.Require();
        await moto.ResetAsync();
        using var clients = moto.CreateClients(Region);
        var admin = new OrganizationsAdmin(clients.Credentials, moto.Url);
        await admin.CallAsync("CreateOrganization", new { FeatureSet = "ALL" });
        var names = Enumerable.Range(1, 23).Select(i => $"team-{i:00}").ToList();
        foreach (var name in names)
            await admin.CallAsync("CreateAccount", new { AccountName = name, Email = $"{name}@example.com" });

        var listed = await new OrganizationsClient(clients.Credentials, moto.Url).ListAllAccountsAsync();

        // 23 created + the management account, over two pages of at most 20.
        Assert.Equal(24, listed.Count);
        Assert.All(listed, a => Assert.True(AccountRules.IsAccountId(a.Id), a.Id));
        Assert.Superset(names.ToHashSet(), listed.Select(a => a.Name!).ToHashSet());
    }

    [SkippableFact]
    public async Task TheInventoryReadsTwoAccountsThroughAssumedRolesAndKeepsEachKeySetInItsAccount()
    {
        moto.Require();
        await moto.ResetAsync();
        var options = new BackendOptions
        {
            Mode = BackendMode.Aws,
            Regions = [Region, "eu-west-1"],
            ServiceUrl = moto.Url.ToString(),
            Accounts =
            [
                new AccountOptions { Id = "111111111111", Name = "payments", RoleName = "KmsDashboard", ExternalId = "kmsdash-test" },
                new AccountOptions { Id = "222222222222", Name = "identity", RoleArn = "arn:aws:iam::222222222222:role/ops/KmsDashboard", Regions = [Region] },
            ],
        };
        Assert.Empty(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
        using var home = new AwsClients(Options.Create(options));
        using var accounts = new AwsAccounts(home);
        var payments = accounts.Configured[0];
        var identity = accounts.Configured[1];

        // Keys made through each account's assumed role land in that account (moto keeps accounts apart by the role ARN).
        var paymentsKms = accounts.Clients(payments).Kms(Region);
        var mrk = (await paymentsKms.CreateKeyAsync(new CreateKeyRequest { MultiRegion = true, Description = "payments mrk" })).KeyMetadata;
        await paymentsKms.ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = mrk.KeyId, ReplicaRegion = "eu-west-1" });
        var idKey = (await accounts.Clients(identity).Kms(Region).CreateKeyAsync(new CreateKeyRequest { Description = "identity key" })).KeyMetadata;
        Assert.Contains(":111111111111:", mrk.Arn);
        Assert.Contains(":222222222222:", idKey.Arn);
        var who = await accounts.Clients(identity).Sts(Region).GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal("222222222222", who.Account);
        Assert.Contains($"/{AccountRules.ReadSessionName}", who.Arn);

        using var inventory = new KeyInventory(home, Options.Create(new InventoryOptions { ReadLastUse = false }), NullLogger<KeyInventory>.Instance, accounts: accounts);
        await inventory.RefreshAsync(CancellationToken.None);
        var snapshot = inventory.Current;

        Assert.True(snapshot.MultiAccount);
        Assert.Equal(["111111111111", "222222222222"], snapshot.Accounts.Select(a => a.Id));
        Assert.All(snapshot.Accounts, a => Assert.True(a.Healthy, a.Error));
        var set = Assert.Single(snapshot.KeySets, s => s.KeyId == mrk.KeyId);
        Assert.Equal("111111111111", set.Account);
        Assert.All(set.Members.Values, m => Assert.Equal("111111111111", m.Account));
        var single = Assert.Single(snapshot.SingleRegionKeys, k => k.KeyId == idKey.KeyId);
        Assert.Equal("222222222222", single.Account);
        Assert.Equal(single, snapshot.Find(new KeyRef(Region, idKey.KeyId, "222222222222")));
        Assert.Null(snapshot.Find(new KeyRef(Region, idKey.KeyId, "111111111111")));
        // The identity account reads only us-east-1; the payments account both Regions.
        Assert.Equal([Region], snapshot.Accounts[1].Regions.Keys);
        Assert.Equal(2, snapshot.Accounts[0].Regions.Count);
    }
}
