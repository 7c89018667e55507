using Bunit;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Web.Features.Actions;
using KmsDashboard.Web.Features.Inventory;
using KmsDashboard.Web.Tests.Features.Inventory;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static KmsDashboard.Web.Tests.Features.Actions.ActionsTestContext;
using Kms = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Web.Tests.Features.Actions;

/// <summary>The bar and the dialog know no action by name: they offer and render whatever the catalog holds.</summary>
public sealed class KeyActionBarDiscoveryTests
{
    /// <summary>The ids of the buttons and menu items the bar offers for the key, every menu opened.</summary>
    private static HashSet<string> Offered(DashboardTestContext ctx, KeyInventory inventory, string keyId, string region)
    {
        var members = inventory.Current.FindById(keyId);
        var context = new KeyDetailContext(keyId, members, inventory.Current.FindKeySet(keyId), region, inventory.Current);
        var cut = ctx.RenderWithPopovers<KeyActionBar>(p => p.Add(x => x.Key, context));
        var ids = cut.FindAll("#key-actions button[id^='action-']").Select(b => b.Id!).ToHashSet();
        foreach (var menu in cut.FindAll("#key-actions .mud-menu").Select(m => m.Id).ToList())
        {
            cut.Find($"#{menu} button").Click();
            ctx.PopoverProvider.WaitForAssertion(() => Assert.NotEmpty(ctx.PopoverProvider.FindAll(".mud-menu-item[id^='action-']")));
            ids.UnionWith(ctx.PopoverProvider.FindAll(".mud-menu-item[id^='action-']").Select(i => i.Id!));
            cut.Find($"#{menu} button").Click();
        }
        return ids;
    }

    [Fact]
    public async Task EveryRegisteredActionIsOfferedForSomeDemoKeyIncludingOneRegisteredOnlyInTheContainer()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseActionsAsync(Admin, more: s => s.AddKeyAction<NoteOwnerAction>());
        var operations = ctx.Services.GetRequiredService<KeyOperations>();
        var payments = inventory.KeySetWithAlias("alias/payments-prod");
        var ordersDb = inventory.KeySetWithAlias("alias/orders-db");
        var legacy = inventory.KeySetWithAlias("alias/legacy-billing");
        var rotating = inventory.Current.KeySets.First(s => s.Primary is { State: "Enabled", Rotation.Enabled: true });

        var offered = new HashSet<string>();
        offered.UnionWith(Offered(ctx, inventory, payments.KeyId, payments.PrimaryRegion));
        offered.UnionWith(Offered(ctx, inventory, ordersDb.KeyId, ordersDb.Members.Values.First(m => m.State == "Disabled").Region));
        offered.UnionWith(Offered(ctx, inventory, legacy.KeyId, legacy.PrimaryRegion));
        offered.UnionWith(Offered(ctx, inventory, rotating.KeyId, rotating.PrimaryRegion));

        Assert.Equal(17, operations.Actions.Count);
        Assert.All(operations.Actions, a => Assert.Contains(a.ElementId, offered));
        Assert.Contains("action-note-owner", offered);
    }

    [Fact]
    public async Task AContainerOnlyActionsDialogRendersItsInputsFromTheirDescriptionAndPlansThroughCore()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseActionsAsync(Operator, more: s => s.AddKeyAction<NoteOwnerAction>());
        var key = inventory.Current.SingleRegionKeys.First(k => k.State == "Enabled");
        _ = ctx.PopoverProvider;
        var provider = ctx.Render<MudDialogProvider>();
        var dialogs = ctx.Services.GetRequiredService<IDialogService>();
        var action = KeyAction.Of<NoteOwnerAction>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<KeyActionDialog>(action.Title, new DialogParameters<KeyActionDialog>
        {
            { d => d.Action, action },
            { d => d.Key, key },
            { d => d.Members, [key] },
        }));

        provider.WaitForElement("#owner").Change("team-payments");
        Assert.Contains("Who answers for this key.", provider.Find("#action-inputs").TextContent, StringComparison.Ordinal);
        provider.Find("#plan-button").Click();

        provider.WaitForAssertion(() => Assert.Contains("Owner=team-payments", provider.Find("#plan-calls").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal("NoteOwner", provider.Find("#key-action-dialog").GetAttribute("data-action"));
        Assert.False(provider.Find("#confirm").HasAttribute("disabled"));
    }
}

/// <summary>The request of the test-only action.</summary>
public sealed record NoteOwnerRequest : KeyActionRequest
{
    public required string Owner { get; init; }
    public override KeyAction Action => KeyAction.Of<NoteOwnerAction>();
}

/// <summary>An action that lives in this file only: tag the key with its owner.</summary>
public sealed class NoteOwnerAction : KeyAction<NoteOwnerRequest>
{
    public override string Name => "NoteOwner";
    public override string Title => "Note the owner";
    public override int Order => 1000;
    public override string ElementId => "action-note-owner";
    public override string Icon => "Person";

    public override IReadOnlyList<ActionInput> Inputs(KeyActionTarget target) =>
        [new("owner", ActionInputKind.Text, "Owner") { ElementId = "owner", Help = "Who answers for this key.", Initial = "" }];

    public override KeyActionRequest? CreateRequest(KeyActionTarget target, ActionInputValues values, out string? inputError)
    {
        inputError = null;
        return new NoteOwnerRequest { KeyId = target.Key.KeyId, Region = target.Key.Region, Owner = values.Text("owner") ?? "" };
    }

    internal override void Validate(NoteOwnerRequest request, ActionValidation validation) =>
        validation.Add(string.IsNullOrWhiteSpace(request.Owner) ? "Give the owner." : null);

    internal override async Task PlanAsync(ActionPlanning planning, NoteOwnerRequest request, CancellationToken cancellationToken)
    {
        if (await planning.KeyAsync(cancellationToken) is null) return;
        var (keyId, owner) = (planning.KeyId, request.Owner);
        planning.Call(planning.Region, "TagResource", $"KeyId={keyId}, Tags=Owner={owner}", "Note the owner.",
            (kms, ct) => kms.TagResourceAsync(new Kms.TagResourceRequest { KeyId = keyId, Tags = [new Kms.Tag { TagKey = "Owner", TagValue = owner }] }, ct));
    }
}
