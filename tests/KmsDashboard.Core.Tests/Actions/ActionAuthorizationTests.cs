using System.Security.Claims;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Journal;
using static KmsDashboard.Core.Tests.Actions.ActionsHarness;

namespace KmsDashboard.Core.Tests.Actions;

/// <summary>Who may do what, enforced by Core itself: a caller without the role is refused before anything is read or sent.</summary>
public sealed class ActionAuthorizationTests
{
    private const string KeyId = "mrk-0123456789abcdef0123456789abcdef";

    // By name: xunit shows (and can re-run) one case per registered action.
    public static TheoryData<string> AllActions() => [.. KeyActionCatalog.BuiltIn.All.Select(a => a.Name)];

    private static KeyActionRequest RequestFor(KeyAction action, string keyId) => action.Name switch
    {
        nameof(KeyAction.Replicate) => new ReplicateKeyRequest { KeyId = keyId, Region = "us-east-1", TargetRegions = ["eu-west-1"] },
        nameof(KeyAction.ChangePrimaryRegion) => new ChangePrimaryRegionRequest { KeyId = keyId, Region = "us-east-1", NewPrimaryRegion = "us-west-2" },
        nameof(KeyAction.EnableKey) => new EnableKeyRequest { KeyId = keyId, Region = "us-east-1" },
        nameof(KeyAction.DisableKey) => new DisableKeyRequest { KeyId = keyId, Region = "us-east-1" },
        nameof(KeyAction.EnableRotation) => new EnableRotationRequest { KeyId = keyId, Region = "us-east-1" },
        nameof(KeyAction.DisableRotation) => new DisableRotationRequest { KeyId = keyId, Region = "us-east-1" },
        nameof(KeyAction.RotateNow) => new RotateNowRequest { KeyId = keyId, Region = "us-east-1" },
        nameof(KeyAction.ScheduleDeletion) => new ScheduleDeletionRequest { KeyId = keyId, Region = "us-east-1" },
        nameof(KeyAction.CancelDeletion) => new CancelDeletionRequest { KeyId = keyId, Region = "us-east-1" },
        nameof(KeyAction.CreateAlias) => new CreateAliasRequest { KeyId = keyId, Region = "us-east-1", AliasName = "alias/x" },
        nameof(KeyAction.UpdateAlias) => new UpdateAliasRequest { KeyId = keyId, Region = "us-east-1", AliasName = "alias/x" },
        nameof(KeyAction.DeleteAlias) => new DeleteAliasRequest { KeyId = keyId, Region = "us-east-1", AliasName = "alias/x" },
        nameof(KeyAction.AlignAlias) => new AlignAliasRequest { KeyId = keyId, Region = "us-east-1", AliasName = "alias/x" },
        nameof(KeyAction.EditTags) => new EditTagsRequest { KeyId = keyId, Region = "us-east-1", Tags = new Dictionary<string, string> { ["a"] = "b" } },
        nameof(KeyAction.EditDescription) => new EditDescriptionRequest { KeyId = keyId, Region = "us-east-1", Description = "d" },
        nameof(KeyAction.CopyPrimaryProperties) => new CopyPrimaryPropertiesRequest { KeyId = keyId, Region = "us-east-1" },
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    [Theory]
    [MemberData(nameof(AllActions))]
    public async Task AViewerAnAuditorAndAnAnonymousCallerAreRefusedEveryActionAndNothingIsSent(string name)
    {
        var action = KeyActionCatalog.BuiltIn.Find(name)!;
        await using var h = await StartAsync();

        foreach (var user in new[] { Viewer, Auditor, Anonymous })
        {
            var plan = await h.Operations.PlanAsync(user, RequestFor(action, KeyId), default);
            Assert.Equal(PlanStatus.Forbidden, plan.Status);
            Assert.False(plan.CanExecute);
        }
        Assert.Empty(h.Sent);
        var refusals = await h.Journal.QueryAsync(new JournalQuery { Outcome = "Refused" }, default);
        Assert.Equal(3, refusals.Count);
        Assert.Contains(refusals, e => e.User == "vera" && e.Action == action.ToString());
    }

    [Theory]
    [MemberData(nameof(AllActions))]
    public async Task AnOperatorMayTakeExactlyTheReversibleActionsAndAnAdminAll(string name)
    {
        var action = KeyActionCatalog.BuiltIn.Find(name)!;
        await using var h = await StartAsync();

        var asOperator = await h.Operations.PlanAsync(Operator, RequestFor(action, KeyId), default);
        var asAdmin = await h.Operations.PlanAsync(Admin, RequestFor(action, KeyId), default);

        Assert.Equal(KeyActionRules.IsDestructive(action), asOperator.Status == PlanStatus.Forbidden);
        Assert.NotEqual(PlanStatus.Forbidden, asAdmin.Status);
        Assert.Equal(!KeyActionRules.IsDestructive(action), await h.Operations.IsAllowedAsync(Operator, action));
        Assert.True(await h.Operations.IsAllowedAsync(Admin, action));
        Assert.False(await h.Operations.IsAllowedAsync(Viewer, action));
        Assert.Empty(h.Writes);
    }

    [Fact]
    public async Task AViewerExecutingAnAdminsPlanDirectlyIsRefusedAndTheKeyIsUnchanged()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateSingleRegionKeyAsync();
        var plan = await h.Operations.PlanAsync(Admin, new DisableKeyRequest { KeyId = keyId, Region = "us-east-1" }, default);
        Assert.True(plan.CanExecute);

        var forged = await h.Operations.ExecuteAsync(Viewer, plan, keyId, default);

        Assert.Equal(ActionOutcome.Refused, forged.Outcome);
        Assert.Contains("Viewer", forged.Summary, StringComparison.Ordinal);
        Assert.Empty(h.Writes);
        Assert.Equal("Enabled", (await h.DescribeAsync("us-east-1", keyId)).KeyState.Value);
        var entry = Assert.Single(await h.Journal.QueryAsync(new JournalQuery { User = "vera" }, default));
        Assert.Equal(("DisableKey", "Refused"), (entry.Action, entry.Outcome));
    }

    [Fact]
    public async Task AnotherOperatorCannotExecuteSomeoneElsesPlan()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateSingleRegionKeyAsync();
        var plan = await h.Operations.PlanAsync(Operator, new EditDescriptionRequest { KeyId = keyId, Region = "us-east-1", Description = "x" }, default);

        var result = await h.Operations.ExecuteAsync(User("mallory", "Operator"), plan, null, default);

        Assert.Equal(ActionOutcome.Refused, result.Outcome);
        Assert.Empty(h.Writes);
    }

    [Fact]
    public async Task APlanRunsOnceTheSecondExecutionIsRefused()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateSingleRegionKeyAsync();
        var plan = await h.Operations.PlanAsync(Operator, new EditDescriptionRequest { KeyId = keyId, Region = "us-east-1", Description = "once" }, default);

        var results = await Task.WhenAll(
            h.Operations.ExecuteAsync(Operator, plan, null, default),
            h.Operations.ExecuteAsync(Operator, plan, null, default));

        Assert.Single(results, r => r.Outcome == ActionOutcome.Succeeded);
        Assert.Single(results, r => r.Outcome == ActionOutcome.Refused);
        Assert.Single(h.Writes);
    }

    [Fact]
    public async Task AStalePlanIsRefused()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateSingleRegionKeyAsync();
        var plan = await h.Operations.PlanAsync(Operator, new EditDescriptionRequest { KeyId = keyId, Region = "us-east-1", Description = "late" }, default);
        h.Clock.Advance(KeyOperations.PlanLifetime + TimeSpan.FromMinutes(1));

        var result = await h.Operations.ExecuteAsync(Operator, plan, null, default);

        Assert.Equal(ActionOutcome.Refused, result.Outcome);
        Assert.Contains("plan again", result.Summary, StringComparison.Ordinal);
        Assert.Empty(h.Writes);
    }

    [Fact]
    public async Task TheReadOnlySwitchRefusesEveryWriteEvenForAnAdmin()
    {
        await using var h = await StartAsync(readOnly: true);
        var keyId = await h.CreateSingleRegionKeyAsync();

        var plan = await h.Operations.PlanAsync(Admin, new EditDescriptionRequest { KeyId = keyId, Region = "us-east-1", Description = "x" }, default);

        Assert.True(h.Operations.IsReadOnly);
        Assert.Equal(PlanStatus.Forbidden, plan.Status);
        Assert.Contains(plan.Problems, p => p.Contains("Safety:ReadOnly", StringComparison.Ordinal));
        Assert.False(await h.Operations.IsAllowedAsync(Admin, KeyAction.EditDescription));
        Assert.Empty(h.Writes);
    }

    [Fact]
    public void EveryActionHasAPolicyAndOnlyDisableDeletionAndChangeOfPrimaryAreDestructive()
    {
        var destructive = KeyActionCatalog.BuiltIn.All.Where(KeyActionRules.IsDestructive).ToArray();

        Assert.Equal([KeyAction.ChangePrimaryRegion, KeyAction.DisableKey, KeyAction.ScheduleDeletion], destructive.Order());
        Assert.All(destructive, a => Assert.Equal("CanAdminister", KeyActionRules.PolicyFor(a)));
        Assert.All(KeyActionCatalog.BuiltIn.All.Except(destructive), a => Assert.Equal("CanOperate", KeyActionRules.PolicyFor(a)));
    }

    [Fact]
    public async Task TheJournalFiltersByUserActionKeyRegionOutcomeAndTimeAndExportsCsv()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateSingleRegionKeyAsync();
        var other = await h.CreateSingleRegionKeyAsync("eu-west-1");
        await h.RunAsync(Operator, new EditDescriptionRequest { KeyId = keyId, Region = "us-east-1", Description = "a" });
        await h.RunAsync(Admin, new EditDescriptionRequest { KeyId = other, Region = "eu-west-1", Description = "b" });
        await h.Operations.PlanAsync(Viewer, new EnableKeyRequest { KeyId = keyId, Region = "us-east-1" }, default);

        Assert.Single(await h.Journal.QueryAsync(new JournalQuery { User = "ott" }, default));
        Assert.Equal(2, (await h.Journal.QueryAsync(new JournalQuery { Action = "EditDescription" }, default)).Count);
        Assert.Equal(2, (await h.Journal.QueryAsync(new JournalQuery { KeyId = keyId }, default)).Count);
        Assert.Equal(other, Assert.Single(await h.Journal.QueryAsync(new JournalQuery { Region = "eu-west-1" }, default)).KeyId);
        Assert.Single(await h.Journal.QueryAsync(new JournalQuery { Outcome = "Refused" }, default));
        Assert.Empty(await h.Journal.QueryAsync(new JournalQuery { From = h.Clock.UtcNow.AddHours(1) }, default));
        Assert.Equal(3, (await h.Journal.QueryAsync(new JournalQuery { From = h.Clock.UtcNow.AddHours(-1), To = h.Clock.UtcNow.AddHours(1) }, default)).Count);

        var csv = new StringWriter();
        await h.Journal.WriteCsvAsync(new JournalQuery { Action = "EditDescription" }, csv, default);
        var lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Id,AtUtc,User,UserId,Roles,Action,KeyId,Region,Outcome", lines[0], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length); // header, two entries, the footer
        Assert.StartsWith("# Complete: 2 matching entries. Chain holds", lines[^1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains(other, StringComparison.Ordinal) && l.Contains("UpdateKeyDescription Succeeded", StringComparison.Ordinal));
    }
}
