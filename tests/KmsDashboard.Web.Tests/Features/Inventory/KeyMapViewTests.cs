using KmsDashboard.Core.Inventory;
using KmsDashboard.Web.Features.Inventory;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Web.Tests.Features.Inventory;

public sealed class KeyMapViewTests
{
    [Fact]
    public async Task ThePhoneListHasOneCardPerKeyWithOnlyTheRegionsItIsIn()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDemoInventoryAsync();
        var payments = inventory.KeySetWithAlias("alias/payments-prod");
        ctx.JSInterop.SetupModule("./js/media-query.js").Setup<bool>("watch", _ => true).SetResult(true); // a phone's width

        var cut = ctx.RenderInCircuit<KeyMapView>();

        var snapshot = inventory.Current;
        cut.WaitForAssertion(() => Assert.Equal(snapshot.KeySets.Count + snapshot.SingleRegionKeys.Count, cut.FindAll("#key-list .key-card").Count));
        var regions = cut.FindAll($"#key-list .key-card[data-key-id='{payments.KeyId}'] .key-card-regions a").Select(a => a.GetAttribute("data-region")).ToList();
        Assert.Equal(payments.Members.Keys.Order(StringComparer.Ordinal), regions.Order(StringComparer.Ordinal));
        Assert.Contains("Primary", cut.Find($"#key-list .key-card[data-key-id='{payments.KeyId}'] a[data-region='us-east-1']").TextContent);
        Assert.Empty(cut.FindAll("#key-matrix")); // the other layout is not rendered at all, not just hidden
    }

    [Fact]
    public async Task TheLayoutFollowsTheViewportWhenItCrossesThePhoneWidth()
    {
        await using var ctx = new DashboardTestContext();
        await ctx.UseDemoInventoryAsync();
        var cut = ctx.RenderInCircuit<KeyMapView>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#key-matrix tr.key-row")));
        Assert.Empty(cut.FindAll("#key-list"));

        var matrix = cut.FindComponent<KeyMatrix>();
        await matrix.InvokeAsync(() => matrix.Instance.OnMediaQueryChanged(true));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#key-list .key-card")));
        Assert.Empty(cut.FindAll("#key-matrix"));
    }

    [Fact]
    public async Task TheMatrixHasOneRowPerKeySetWithTheRoleOfEachRegion()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDemoInventoryAsync();
        var payments = inventory.KeySetWithAlias("alias/payments-prod");

        var cut = ctx.RenderInCircuit<KeyMapView>();

        var snapshot = inventory.Current;
        cut.WaitForAssertion(() => Assert.Equal(snapshot.KeySets.Count + snapshot.SingleRegionKeys.Count, cut.FindAll("tr.key-row").Count));
        Assert.Single(cut.FindAll($"tr.key-row[data-key-id='{payments.KeyId}']"));
        string Role(string region) => cut.Find($"tr[data-key-id='{payments.KeyId}'] td[data-region='{region}']").GetAttribute("data-role")!;
        Assert.Equal("Primary", Role("us-east-1"));
        Assert.Equal("Replica", Role("us-west-2"));
        Assert.Equal("Replica", Role("ap-southeast-1"));
        Assert.Equal("none", Role("eu-central-1"));
        Assert.Contains("Primary", cut.Find($"tr[data-key-id='{payments.KeyId}'] td[data-region='us-east-1']").TextContent);
        Assert.Equal($"keys/{payments.KeyId}?region=eu-west-1",
            cut.Find($"tr[data-key-id='{payments.KeyId}'] td[data-region='eu-west-1'] a").GetAttribute("href"));

        var single = snapshot.SingleRegionKeys.First(k => k.Aliases.Contains("alias/terraform-state"));
        Assert.Single(cut.FindAll($"tr[data-key-id='{single.KeyId}'] td[data-role='None']"));
        Assert.Equal(single.Region, cut.Find($"tr[data-key-id='{single.KeyId}'] td[data-role='None']").GetAttribute("data-region"));
        Assert.Empty(cut.FindAll("#key-list"));
    }

    [Fact]
    public async Task TheDriftFilterKeepsOnlyDriftedKeySetsAndMarksTheRegionsThatDiffer()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDemoInventoryAsync();
        var payments = inventory.KeySetWithAlias("alias/payments-prod");
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("keys?drift=true");

        var cut = ctx.RenderInCircuit<KeyMapView>();

        var drifted = inventory.Current.KeySets.Where(s => s.Drift.HasDrift).Select(s => s.KeyId).Order().ToList();
        cut.WaitForAssertion(() => Assert.Equal(drifted, cut.FindAll("tr.key-row").Select(r => r.GetAttribute("data-key-id")!).Order().ToList()));
        Assert.All(cut.FindAll("tr.key-row"), r => Assert.Contains("drifted", r.ClassList));
        Assert.Contains("drift", cut.Find($"tr[data-key-id='{payments.KeyId}'] td[data-region='eu-west-1']").ClassList);
        Assert.Contains("drift", cut.Find($"tr[data-key-id='{payments.KeyId}'] td[data-region='ap-southeast-1']").ClassList);
        Assert.DoesNotContain("drift", cut.Find($"tr[data-key-id='{payments.KeyId}'] td[data-region='us-west-2']").ClassList);
        Assert.Contains("drift=true", cut.Find("#export-csv").GetAttribute("href"));
    }

    [Fact]
    public async Task SearchingByAliasNarrowsTheRows()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDemoInventoryAsync();
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("keys?q=orders-db");

        var cut = ctx.RenderInCircuit<KeyMapView>();

        var orders = inventory.KeySetWithAlias("alias/orders-db");
        cut.WaitForAssertion(() => Assert.Equal(orders.KeyId, Assert.Single(cut.FindAll("tr.key-row")).GetAttribute("data-key-id")));
        Assert.Contains("Showing 1 of", cut.Find("#row-count").TextContent);
    }
    [Fact]
    public async Task TheDriftSwitchFiltersToDriftedKeySetsAndShowsItsState()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDemoInventoryAsync();
        var address = ctx.JSInterop.SetupModule("./js/address.js");
        var cut = ctx.RenderInCircuit<KeyMapView>();
        var snapshot = inventory.Current;
        cut.WaitForAssertion(() => Assert.Equal(snapshot.KeySets.Count + snapshot.SingleRegionKeys.Count, cut.FindAll("tr.key-row").Count));
        Assert.Equal("false", cut.Find("#filter-drift").GetAttribute("aria-checked"));
        Assert.Contains("mud-default", cut.Find(".mud-switch-track").ClassList);

        cut.Find("#filter-drift").Change(true);

        var drifted = snapshot.KeySets.Where(s => s.Drift.HasDrift).Select(s => s.KeyId).Order().ToList();
        cut.WaitForAssertion(() => Assert.Equal(drifted, cut.FindAll("tr.key-row").Select(r => r.GetAttribute("data-key-id")!).Order().ToList()));
        Assert.Equal("true", cut.Find("#filter-drift").GetAttribute("aria-checked"));
        Assert.Contains("mud-checked", cut.Find(".mud-switch-base").ClassList);
        Assert.Contains("mud-warning", cut.Find(".mud-switch-track").ClassList);
        // The address shows the filter, replaced in place (the page is statically routed: no navigation).
        var replaced = address.Invocations["replace"];
        Assert.EndsWith("keys?drift=true", Assert.IsType<string>(replaced[^1].Arguments[0]));

        cut.Find("#filter-drift").Change(false);
        cut.WaitForAssertion(() => Assert.Equal(snapshot.KeySets.Count + snapshot.SingleRegionKeys.Count, cut.FindAll("tr.key-row").Count));
    }

    [Fact]
    public async Task TheAwsManagedKeysPanelBuildsItsTableOnlyWhenOpened()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDemoInventoryAsync();
        var managed = inventory.Current.AwsManagedKeys;
        Assert.NotEmpty(managed);
        var cut = ctx.RenderInCircuit<KeyMapView>();
        var header = cut.Find(".mud-expand-panel-header");
        Assert.Contains($"AWS managed keys ({managed.Count})", header.TextContent);
        Assert.Equal("false", header.GetAttribute("aria-expanded"));
        Assert.Empty(cut.FindAll("#aws-managed-keys"));

        header.Click();
        cut.WaitForAssertion(() => Assert.Equal(managed.Count, cut.FindAll("#aws-managed-keys tbody tr").Count));
        Assert.Contains("mud-collapse-entered", cut.Find(".mud-collapse-container").ClassList);
        Assert.Equal("true", cut.Find(".mud-expand-panel-header").GetAttribute("aria-expanded"));

        cut.Find(".mud-expand-panel-header").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#aws-managed-keys")));
        Assert.Contains("invisible", cut.Find(".mud-collapse-container").ClassList);
    }

    [Fact]
    public async Task SignedOutElsewhereTheMapHidesTheKeysAndOffersToSignInAgainWhenReadingNeedsASignIn()
    {
        await using var ctx = new DashboardTestContext();
        var user = new SwitchableUser(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, "carla"), new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, "Viewer")], "test")));
        ctx.UseSignedInUser(user.Current);
        ctx.Services.AddSingleton<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider>(user);
        // Authentication:AnonymousRead=false: every page needs a signed-in reader (the app's fallback policy).
        ctx.Services.Configure<Microsoft.AspNetCore.Authorization.AuthorizationOptions>(o => o.FallbackPolicy =
            new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        ctx.JSInterop.SetupModule("./js/address.js");
        await ctx.UseDemoInventoryAsync();
        var cut = ctx.RenderInCircuit<KeyMapView>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#key-matrix tr.key-row")));
        cut.Find("#filter-drift").Change(true);

        user.SignOut(); // what the circuit's revalidation does once the session ends

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#key-map-signed-out")));
        Assert.Empty(cut.FindAll("tr.key-row"));
        Assert.Equal("signin?returnUrl=%2Fkeys%3Fdrift%3Dtrue", cut.Find("#key-map-sign-in-again").GetAttribute("href"));
    }

    [Fact]
    public async Task SignedOutElsewhereTheMapStaysWhenAnyoneMayRead()
    {
        await using var ctx = new DashboardTestContext();
        var user = new SwitchableUser(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, "carla")], "test")));
        ctx.UseSignedInUser(user.Current);
        ctx.Services.AddSingleton<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider>(user); // no fallback policy: anonymous reading
        await ctx.UseDemoInventoryAsync();
        var cut = ctx.RenderInCircuit<KeyMapView>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#key-matrix tr.key-row")));

        user.SignOut();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#key-matrix tr.key-row")));
        Assert.Empty(cut.FindAll("#key-map-signed-out"));
    }

    private sealed class SwitchableUser(System.Security.Claims.ClaimsPrincipal user) : Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider
    {
        public System.Security.Claims.ClaimsPrincipal Current { get; private set; } = user;

        public override Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new Microsoft.AspNetCore.Components.Authorization.AuthenticationState(Current));

        public void SignOut()
        {
            Current = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
            NotifyAuthenticationStateChanged(GetAuthenticationStateAsync());
        }
    }
}
