using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Security;
using KmsDashboard.Core.Tests.Actions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Tests.Moto;

/// <summary>
/// Ids an endpoint returned always work when shown back to it: moto makes multi-Region ids as mrk- and a dashed UUID,
/// which a typed id would not pass, yet its keys can be planned on like any other.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class MotoKeyIdTests(MotoServer moto)
{
    [SkippableFact]
    public async Task AMotoMultiRegionKeyIdListedByTheInventoryIsAcceptedByTheActions()
    {
        moto.Require();
        var data = Directory.CreateTempSubdirectory("kmsdashboard-moto-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Backend:Mode"] = "Aws",
            ["Backend:ServiceUrl"] = moto.Url.ToString(),
            ["Backend:Regions:0"] = "us-east-1",
            ["Storage:DataDirectory"] = data,
            ["Inventory:ReadLastUse"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddOptions<BackendOptions>().BindConfiguration(BackendOptions.Section);
        services.AddDashboardAuthorization();
        services.AddInventory();
        services.AddKeyActions(data);
        await using var provider = services.BuildServiceProvider();
        var kms = provider.GetRequiredService<AwsClients>().Kms("us-east-1");
        var keyId = (await kms.CreateKeyAsync(new CreateKeyRequest { MultiRegion = true, Description = "moto" })).KeyMetadata.KeyId;
        Assert.NotNull(KeyInputRules.CheckKeyId(keyId)); // moto's form: a typed id like this would be refused
        await provider.GetRequiredService<KeyInventory>().RefreshAsync(CancellationToken.None);

        var plan = await provider.GetRequiredService<KeyOperations>().PlanAsync(ActionsHarness.Operator,
            new EditDescriptionRequest { KeyId = keyId, Region = "us-east-1", Description = "renamed" }, CancellationToken.None);

        Assert.True(plan.CanExecute, string.Join(" ", plan.Problems));
        Assert.Equal(keyId, plan.KeyId);
    }

    [SkippableFact]
    public async Task LastUseMotoDoesNotServeIsAskedOnceAndSaidToBeUnavailable()
    {
        moto.Require();
        using var clients = moto.CreateClients("us-east-1");
        var keyId = (await clients.Kms("us-east-1").CreateKeyAsync(new CreateKeyRequest { Description = "moto last use" })).KeyMetadata.KeyId;
        using var inventory = new KeyInventory(clients, Microsoft.Extensions.Options.Options.Create(new InventoryOptions { ReadLastUse = true }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<KeyInventory>.Instance);

        await inventory.RefreshAsync(CancellationToken.None);
        await Inventory.InventoryHarness.WaitUntilAsync(
            () => inventory.Current.Find(new KeyRef("us-east-1", keyId))?.LastUse?.Unavailable is not null, "last use to be marked unavailable");

        Assert.Contains("not available from this endpoint", inventory.Current.Find(new KeyRef("us-east-1", keyId))!.LastUse!.Unavailable);
        // The mark holds through the next refresh (the Region is left alone for KeyInventory.LastUseRetryAfter).
        await inventory.RefreshAsync(CancellationToken.None);
        await Inventory.InventoryHarness.WaitUntilAsync(
            () => inventory.Current.Find(new KeyRef("us-east-1", keyId))?.LastUse?.Unavailable is not null, "the mark to be carried over");
    }
}
