using KmsDashboard.Core.Rotation;
using KmsDashboard.Core.Runbooks;
using KmsDashboard.Web.Features.Wizards;
using KmsDashboard.Web.Tests.Features.Actions;
using static KmsDashboard.Web.Tests.Features.Actions.ActionsTestContext;

namespace KmsDashboard.Web.Tests.Features.Wizards;

/// <summary>The new-key-set inputs and review on the demo sandbox: Core's checks, the policy JSON shown before use, a change puts the review away.</summary>
public sealed class NewKeySetPageTests
{
    private static async Task<IRenderedComponent<NewKeySetPage>> OpenAsync(DashboardTestContext ctx)
    {
        var data = Directory.CreateTempSubdirectory("kmsdashboard-newkeyset-").FullName;
        await ctx.UseActionsAsync(Operator, more: s => { s.AddRunbooks(data); s.AddRotationWizards(); });
        return ctx.RenderWithPopovers<NewKeySetPage>();
    }

    private static void FillValid(IRenderedComponent<NewKeySetPage> page)
    {
        page.Find("#alias").Input("alias/orders-v2");
        page.Find("#tags").Input("CostCenter=4711\nOwner=orders-team");
        page.Find("#administrators").Input("arn:aws:iam::111122223333:role/KeyAdmin");
        page.Find("#users").Input("arn:aws:iam::111122223333:role/OrderService");
        page.Find("#via-services").Input("s3");
    }

    [Fact]
    public async Task TheReviewShowsThePolicyJsonAndAnyChangePutsItAway()
    {
        await using var ctx = new DashboardTestContext();
        var page = await OpenAsync(ctx);
        page.WaitForAssertion(() => Assert.Equal("111122223333", page.Find("#account-id").GetAttribute("value")));
        FillValid(page);

        // MudBlazor applies typed text asynchronously; Review is idempotent, so it is pressed until the inputs have landed.
        page.WaitForAssertion(() =>
        {
            page.Find("#review").Click();
            Assert.True(page.FindAll("#new-key-set-problems").Count == 0, page.FindAll("#new-key-set-problems").FirstOrDefault()?.TextContent);
        });
        var policy = page.Find("#policy-json").TextContent;
        Assert.Contains("\"Sid\": \"KeyAdministrators\"", policy, StringComparison.Ordinal);
        Assert.Contains("s3.us-east-1.amazonaws.com", policy, StringComparison.Ordinal);
        Assert.False(page.Find("#start-runbook").HasAttribute("disabled"));

        page.Find("#description").Input("changed");

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("#new-key-set-review")));
    }

    [Fact]
    public async Task MissingRequiredTagsAndABadPeriodAreShownAndNoPolicyIs()
    {
        await using var ctx = new DashboardTestContext();
        var page = await OpenAsync(ctx);
        FillValid(page);
        page.Find("#tags").Input("Owner=orders-team");
        page.Find("#rotation-period").Input("forever");

        page.WaitForAssertion(() =>
        {
            page.Find("#review").Click();
            Assert.Contains("'forever' is not a whole number of days", page.Find("#new-key-set-problems").TextContent, StringComparison.Ordinal);
        });
        Assert.Empty(page.FindAll("#policy-json"));

        page.Find("#rotation-period").Input("365");
        page.WaitForAssertion(() =>
        {
            page.Find("#review").Click();
            Assert.Contains("The tag CostCenter is required", page.Find("#new-key-set-problems").TextContent, StringComparison.Ordinal);
        });
        Assert.Empty(page.FindAll("#policy-json"));
    }

    [Fact]
    public async Task TheDemoBucketsInTheSetsRegionsCanBeChosenAndTheOthersAreExplainedAndFollowTheRegions()
    {
        await using var ctx = new DashboardTestContext();
        var page = await OpenAsync(ctx);

        // Primary us-east-1 and no replica yet: the eu-west-1 and ap-southeast-1 buckets cannot be chosen, and say why.
        page.WaitForAssertion(() => Assert.Equal("true", page.Find("tr[data-bucket='myapp-primary']").GetAttribute("data-selectable")));
        Assert.Equal("false", page.Find("tr[data-bucket='myapp-replica']").GetAttribute("data-selectable"));
        Assert.Contains("It is in ap-southeast-1", page.Find("tr[data-bucket='myapp-replica'] .bucket-reason").TextContent, StringComparison.Ordinal);
        Assert.Equal("false", page.Find("tr[data-bucket='orders-exports']").GetAttribute("data-selectable"));
        Assert.Empty(page.FindAll("#bucket-problem"));

        page.Find("[data-replica-region='eu-west-1'] input").Change(true);
        page.WaitForAssertion(() => Assert.Equal("true", page.Find("tr[data-bucket='orders-exports']").GetAttribute("data-selectable")));
        page.Find("tr[data-bucket='orders-exports'] input").Change(true);
        FillValid(page);
        page.WaitForAssertion(() =>
        {
            page.Find("#review").Click();
            Assert.Contains("s3://orders-exports is pointed at the alias", page.Find("#new-key-set-review").TextContent, StringComparison.Ordinal);
        });

        // Taking eu-west-1 away again drops the bucket chosen there.
        page.Find("[data-replica-region='eu-west-1'] input").Change(false);
        page.WaitForAssertion(() => Assert.Equal("false", page.Find("tr[data-bucket='orders-exports']").GetAttribute("data-selectable")));
        page.WaitForAssertion(() =>
        {
            page.Find("#review").Click();
            Assert.Contains("no bucket's default encryption is changed", page.Find("#new-key-set-review").TextContent, StringComparison.Ordinal);
        });
    }
}
