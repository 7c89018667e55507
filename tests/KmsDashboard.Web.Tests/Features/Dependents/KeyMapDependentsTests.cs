using KmsDashboard.Web.Features.Inventory;
using KmsDashboard.Web.Tests.Features.Inventory;

namespace KmsDashboard.Web.Tests.Features.Dependents;

/// <summary>The key map counts, per key set, the S3 bucket defaults and replication rules that name it.</summary>
public sealed class KeyMapDependentsTests
{
    [Fact]
    public async Task TheKeyMapShowsHowManyBucketDefaultsAndReplicationRulesNameEachKeySet()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDependentsAsync(DependentsTestContext.User("vera", "Viewer"));
        var payments = inventory.KeySetWithAlias("alias/payments-prod");
        var terraform = inventory.Current.SingleRegionKeys.First(k => k.Region == "us-east-1" && k.Aliases.Contains("alias/terraform-state"));
        var idle = inventory.Current.SingleRegionKeys.First(k => k.Region == "eu-west-1" && k.Aliases.Contains("alias/app-config"));

        var cut = ctx.RenderInCircuit<KeyMapView>();

        cut.WaitForElement("#key-matrix th.dependents-col", TimeSpan.FromSeconds(30));
        int Count(string keyId) => int.Parse(cut.Find($"tr.key-row[data-key-id='{keyId}'] td.dependents-col").GetAttribute("data-dependents")!,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Count(payments.KeyId) >= 2, "myapp-primary's default and its replication rule name payments-prod");
        Assert.Equal(1, Count(terraform.KeyId)); // terraform-state-prod names it by ARN
        Assert.Equal(0, Count(idle.KeyId));
    }
}
