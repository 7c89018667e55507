using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Security;
using Microsoft.Extensions.DependencyInjection;
using static KmsDashboard.Core.Tests.Actions.ActionsHarness;
using Kms = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Tests.Actions;

/// <summary>
/// Every action has one home (its <see cref="KeyAction"/>) and is found from there: the catalog, the guarded path, the
/// rules and the journal need no other file. <see cref="StampOwnerAction"/> exists only here and still goes all the way.
/// </summary>
public sealed class KeyActionDiscoveryTests
{
    [Fact]
    public void EveryBuiltInActionIsDiscoveredWithItsNameTitlePolicyRequestAndPlaceInTheBar()
    {
        var all = KeyActionCatalog.BuiltIn.All;

        // The sixteen actions the dashboard has always had, under the names the journal has always used.
        Assert.Equal(
            ["AlignAlias", "CancelDeletion", "ChangePrimaryRegion", "CopyPrimaryProperties", "CreateAlias", "DeleteAlias", "DisableKey", "DisableRotation",
             "EditDescription", "EditTags", "EnableKey", "EnableRotation", "Replicate", "RotateNow", "ScheduleDeletion", "UpdateAlias"],
            all.Select(a => a.Name).Order(StringComparer.Ordinal));
        Assert.All(all, a =>
        {
            Assert.False(string.IsNullOrWhiteSpace(a.Title));
            Assert.Contains(a.Policy, new[] { DashboardPolicies.CanOperate, DashboardPolicies.CanAdminister });
            Assert.Equal(a.IsDestructive, a.Policy == DashboardPolicies.CanAdminister);
            Assert.True(typeof(KeyActionRequest).IsAssignableFrom(a.RequestType), a.Name);
            Assert.StartsWith("action-", a.ElementId, StringComparison.Ordinal);
            Assert.Same(a, KeyActionCatalog.BuiltIn.Find(a.Name));
            Assert.All(a.Inputs(Target()), i => Assert.False(string.IsNullOrWhiteSpace(i.Label)));
        });
        Assert.Equal(all.Count, all.Select(a => a.ElementId).Distinct().Count());
        Assert.Equal(all.Count, all.Select(a => a.Order).Distinct().Count());
    }

    [Fact]
    public void EachRequestNamesTheActionThatPlansIt()
    {
        foreach (var action in KeyActionCatalog.BuiltIn.All)
        {
            var request = action.CreateRequest(Target(), new ActionInputValues(action.Inputs(Target())), out var error);

            Assert.Null(error);
            Assert.IsType(action.RequestType, request);
            Assert.Equal(action, request!.Action);
            Assert.Same(action, KeyActionCatalog.BuiltIn.For(request));
        }
    }

    [Fact]
    public async Task AnActionRegisteredOnlyInATestContainerIsPlannedExecutedAndJournaledThroughTheGuardedPath()
    {
        await using var h = await StartAsync(more: s => s.AddKeyAction<StampOwnerAction>());
        var keyId = await h.CreateSingleRegionKeyAsync();

        Assert.Contains(h.Operations.Actions, a => a.Name == "StampOwner");
        var refused = await h.Operations.PlanAsync(Viewer, new StampOwnerRequest { KeyId = keyId, Region = "us-east-1", Owner = "team-a" }, default);
        var invalid = await h.Operations.PlanAsync(Operator, new StampOwnerRequest { KeyId = keyId, Region = "us-east-1", Owner = "" }, default);
        Assert.Empty(h.Sent);
        var (plan, result) = await h.RunAsync(Operator, new StampOwnerRequest { KeyId = keyId, Region = "us-east-1", Owner = "team-a" });

        Assert.Equal(PlanStatus.Forbidden, refused.Status);
        Assert.Contains(refused.Problems, p => p.Contains("may not stamp the owner tag", StringComparison.Ordinal));
        Assert.Equal(PlanStatus.Invalid, invalid.Status);
        Assert.Contains("Give the owner.", invalid.Problems);
        Assert.Equal("Stamp the owner tag", plan.Title);
        Assert.Equal("TagResource", Assert.Single(plan.Calls).Operation);
        Assert.Equal(ActionOutcome.Succeeded, result!.Outcome);
        var tags = (await h.Kms("us-east-1").ListResourceTagsAsync(new Kms.ListResourceTagsRequest { KeyId = keyId })).Tags;
        Assert.Contains(tags, t => t.TagKey == "Owner" && t.TagValue == "team-a");
        var entry = Assert.Single(await h.Journal.QueryAsync(new JournalQuery { Action = "StampOwner", Outcome = "Succeeded" }, default));
        Assert.Contains("\"Owner\":\"team-a\"", entry.Inputs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnActionNobodyRegisteredIsRefusedBeforeAnythingIsRead()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateSingleRegionKeyAsync();

        var plan = await h.Operations.PlanAsync(Operator, new StampOwnerRequest { KeyId = keyId, Region = "us-east-1", Owner = "team-a" }, default);

        Assert.Equal(PlanStatus.Invalid, plan.Status);
        Assert.Contains("Stamp the owner tag is not an action this dashboard offers.", plan.Problems);
        Assert.DoesNotContain(h.Operations.Actions, a => a.Name == "StampOwner");
        Assert.Empty(h.Sent);
    }

    private static KeyActionTarget Target()
    {
        var key = new RegionalKey
        {
            Region = "us-east-1", KeyId = "mrk-0123456789abcdef0123456789abcdef", Arn = "arn:aws:kms:us-east-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef",
            State = "Enabled", Role = MultiRegionRole.Primary, ReplicaRegions = ["eu-west-1"], Aliases = ["alias/x"],
        };
        return new KeyActionTarget(key, [key], ActionsHarness.Regions);
    }
}

/// <summary>The request of the test-only action: tag the key with its owner.</summary>
public sealed record StampOwnerRequest : KeyActionRequest
{
    public required string Owner { get; init; }
    public override KeyAction Action => KeyAction.Of<StampOwnerAction>();
}

/// <summary>A whole action in one file, known to nothing else: Core's guarded path must still authorize, validate, plan, execute and journal it.</summary>
public sealed class StampOwnerAction : KeyAction<StampOwnerRequest>
{
    public override string Name => "StampOwner";
    public override string Title => "Stamp the owner tag";
    public override int Order => 1000;
    public override string ElementId => "action-stamp-owner";

    public override IReadOnlyList<ActionInput> Inputs(KeyActionTarget target) =>
        [new("owner", ActionInputKind.Text, "Owner") { ElementId = "owner", Initial = target.Key.Tags.GetValueOrDefault("Owner") }];

    public override KeyActionRequest? CreateRequest(KeyActionTarget target, ActionInputValues values, out string? inputError)
    {
        inputError = null;
        return new StampOwnerRequest { KeyId = target.Key.KeyId, Region = target.Key.Region, Owner = values.Text("owner") ?? "" };
    }

    internal override void Validate(StampOwnerRequest request, ActionValidation validation)
    {
        if (string.IsNullOrWhiteSpace(request.Owner)) validation.Add("Give the owner.");
        else validation.Add(KeyInputRules.CheckTags(new Dictionary<string, string> { ["Owner"] = request.Owner }));
    }

    internal override async Task PlanAsync(ActionPlanning planning, StampOwnerRequest request, CancellationToken cancellationToken)
    {
        if (await planning.KeyAsync(cancellationToken) is null) return;
        var (keyId, owner) = (planning.KeyId, request.Owner);
        planning.Call(planning.Region, "TagResource", $"KeyId={keyId}, Tags=Owner={owner}", "Stamp the owner.",
            (kms, ct) => kms.TagResourceAsync(new Kms.TagResourceRequest { KeyId = keyId, Tags = [new Kms.Tag { TagKey = "Owner", TagValue = owner }] }, ct));
    }
}
