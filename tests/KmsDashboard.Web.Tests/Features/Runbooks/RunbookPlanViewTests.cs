using Bunit;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Runbooks;
using KmsDashboard.Web.Features.Runbooks;

namespace KmsDashboard.Web.Tests.Features.Runbooks;

/// <summary>A runbook step's plan as the operator confirms it: the exact calls before anything runs, and why it cannot run.</summary>
public sealed class RunbookPlanViewTests
{
    [Fact]
    public async Task AReadyPlanListsEveryCallWithItsRegionParametersAndPurposeAndItsWarnings()
    {
        await using var ctx = new DashboardTestContext();
        var plan = new RunbookPlan { StepName = "bucket-encryption", Status = PlanStatus.Ready };
        plan.Calls.Add(new RunbookPlannedCall("us-east-1", "PutBucketEncryption", "Bucket=orders, KMSMasterKeyID=arn:aws:kms:us-east-1:111122223333:alias/orders", "Now SSE-S3."));
        plan.Calls.Add(new RunbookPlannedCall("eu-west-1", "PutBucketEncryption", "Bucket=orders-eu", "Now none."));
        plan.Warnings.Add("s3://photos (ap-northeast-1) could not be read.");
        plan.Notes.Add("Objects already in the buckets keep their key.");

        var cut = ctx.Render<RunbookPlanView>(p => p.Add(x => x.Plan, plan));

        Assert.Equal("Ready", cut.Find("#runbook-plan").GetAttribute("data-status"));
        var rows = cut.FindAll("#plan-calls tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("alias/orders", rows[0].QuerySelector(".plan-params")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Now SSE-S3.", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("could not be read", cut.Find(".plan-warning").TextContent, StringComparison.Ordinal);
        Assert.Contains("keep their key", cut.Find("#plan-notes").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("#plan-problems"));
    }

    [Fact]
    public async Task ARefusedPlanShowsItsProblemsAndNoCalls()
    {
        await using var ctx = new DashboardTestContext();
        var plan = new RunbookPlan { StepName = "watch" };
        plan.Refuse("The old key served 12 requests in the last 24 hours. An Admin may go on with a written reason.");

        var cut = ctx.Render<RunbookPlanView>(p => p.Add(x => x.Plan, plan));

        Assert.Equal("PreconditionFailed", cut.Find("#runbook-plan").GetAttribute("data-status"));
        Assert.Contains("An Admin may go on", cut.Find("#plan-problems").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("#plan-calls"));
        Assert.Empty(cut.FindAll("#plan-no-calls"));
    }

    [Fact]
    public async Task APlanWithNothingToSendSaysConfirmingOnlyRecordsTheStep()
    {
        await using var ctx = new DashboardTestContext();
        var plan = new RunbookPlan { StepName = "bucket-encryption", Status = PlanStatus.NothingToDo };
        plan.Notes.Add("No bucket was chosen: nothing to change.");

        var cut = ctx.Render<RunbookPlanView>(p => p.Add(x => x.Plan, plan));

        Assert.Contains("No AWS call is needed", cut.Find("#plan-no-calls").TextContent, StringComparison.Ordinal);
    }
}
