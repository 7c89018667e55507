using Bunit;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Runbooks;
using KmsDashboard.Web.Features.Runbooks;

namespace KmsDashboard.Web.Tests.Features.Runbooks;

public sealed class RunbookStepViewTests
{
    private static readonly RunbookStepRecord PartialReplicate = new()
    {
        Index = 3, Name = "replicate", Title = "Replicate into every Region", State = RunbookStepState.Partial,
        Summary = "1 of 2 replicas ready.", FinishedAt = new DateTime(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc), RunByName = "otto",
    };

    [Fact]
    public async Task APartialStepShowsEachRegionsResultAndEveryCallWithItsRequestId()
    {
        await using var ctx = new DashboardTestContext();
        var cut = ctx.Render<RunbookStepView>(p => p
            .Add(x => x.Step, PartialReplicate)
            .Add(x => x.Regions, [new RegionResult("us-west-2", RegionResult.Done, "Replica Enabled."), new RegionResult("eu-west-1", RegionResult.Failed, "ServiceUnavailableException: down")])
            .Add(x => x.Calls, [new RunbookCallRecord { Region = "us-east-1", Operation = "ReplicateKey", Parameters = "ReplicaRegion=us-west-2", State = "Succeeded", RequestId = "req-123" }]));

        Assert.Equal("Partial", cut.Find(".runbook-step").GetAttribute("data-state"));
        Assert.Equal("Failed", cut.Find("tr[data-region='eu-west-1']").GetAttribute("data-result"));
        Assert.Contains("ServiceUnavailableException", cut.Find("tr[data-region='eu-west-1'] .region-message").TextContent, StringComparison.Ordinal);
        Assert.Equal("req-123", cut.Find("tr.step-call[data-operation='ReplicateKey'] .request-id").TextContent.Trim());
        Assert.Contains("1 AWS call", cut.Find(".step-calls summary").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheS3StepShowsEachBucketsProgressAndItsFailedObjects()
    {
        await using var ctx = new DashboardTestContext();
        var orders = new BucketReencryption { Bucket = "orders", Region = "us-east-1", DefaultUpdated = true, ListedCount = 40, Copied = 30, AlreadyNew = 2 };
        orders.Failed.Add(new FailedObject("o/7", "KMS.DisabledException: disabled"));
        var state = new KeySetRunbookState { Reencrypt = [orders] };
        var cut = ctx.Render<RunbookStepView>(p => p
            .Add(x => x.Step, new RunbookStepRecord { Index = 6, Name = "reencrypt-s3", Title = "Re-encrypt S3", State = RunbookStepState.Running })
            .Add(x => x.Details, new KmsDashboard.Core.Runbooks.Steps.ReencryptS3Step().Details(state)));

        var row = cut.Find("tr[data-row='orders']");
        Assert.Contains("32 / 40+", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("moved to the alias", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("o/7", row.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APendingAdminStepSaysWhatItWillDoAndThatItNeedsAnAdmin()
    {
        await using var ctx = new DashboardTestContext();
        var cut = ctx.Render<RunbookStepView>(p => p
            .Add(x => x.Step, new RunbookStepRecord { Index = 8, Name = "disable", Title = "Disable the old key set", State = RunbookStepState.Pending })
            .Add(x => x.Description, "Disables the old key in every Region.")
            .Add(x => x.RequiresAdmin, true)
            .Add(x => x.Current, true));

        Assert.Contains("current", cut.Find(".runbook-step").ClassList);
        Assert.Equal("Disables the old key in every Region.", cut.Find(".step-description").TextContent);
        Assert.Contains(cut.FindAll(".mud-chip"), c => c.TextContent.Contains("Admin", StringComparison.Ordinal));
        Assert.Empty(cut.FindAll(".step-regions"));
    }

    [Fact]
    public async Task ARefusedDrainCheckShowsWhyAndOffersNoCalls()
    {
        await using var ctx = new DashboardTestContext();
        var plan = new RunbookPlan { StepName = "watch", Title = "Watch the old key drain", Status = PlanStatus.PreconditionFailed, CanOverride = true };
        plan.Problems.Add("The old key was used 5 times in the last 24 hours.");
        plan.Warnings.Add("app-role names the key id or ARN directly: it will not follow the alias.");
        plan.Notes.Add("eu-west-1: 5 requests.");

        var cut = ctx.Render<RunbookPlanView>(p => p.Add(x => x.Plan, plan));

        Assert.Equal("PreconditionFailed", cut.Find("#runbook-plan").GetAttribute("data-status"));
        Assert.Contains("used 5 times", cut.Find("#plan-problems").TextContent, StringComparison.Ordinal);
        Assert.Contains("will not follow the alias", cut.Find(".plan-warning").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("#plan-calls"));
        Assert.Empty(cut.FindAll("#plan-no-calls"));
    }
}
