using KmsDashboard.Core.Actions;
using static KmsDashboard.Core.Tests.Actions.ActionsHarness;

namespace KmsDashboard.Core.Tests.Actions;

/// <summary>Key ARNs checked part by part (partition, service, Region, account, <c>key/</c> + id) and tags checked for AWS's characters.</summary>
public sealed class KeyArnAndTagRulesTests
{
    private const string Id = "mrk-0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/" + Id, null)]
    [InlineData("arn:aws-cn:kms:cn-north-1:111122223333:key/" + Id, null)]
    [InlineData("arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/" + Id, null)]
    [InlineData("arn:aws-cn:kms:us-east-1:111122223333:key/" + Id, "partition 'aws'")]
    [InlineData("arn:aws:kms:cn-north-1:111122223333:key/" + Id, "partition 'aws-cn'")]
    [InlineData("arn:aws:s3:us-east-1:111122223333:key/" + Id, "service is 's3'")]
    [InlineData("arn:aws:kms:moon-1:111122223333:key/" + Id, "not an AWS Region name")]
    [InlineData("arn:aws:kms:us-east-1:11112222333:key/" + Id, "not 12 digits")]
    [InlineData("arn:aws:kms:us-east-1:111122223333:alias/payments", "is an alias ARN")]
    [InlineData("arn:aws:kms:us-east-1:111122223333:keys/" + Id, "must be key/<key id>")]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/" + Id + "/x", "not a KMS key ARN")]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/mrk-1", "In the ARN")]
    [InlineData("arn:aws:kms:us-east-1", "not a KMS key ARN")]
    public void AKeyArnIsCheckedPartByPart(string arn, string? message)
    {
        var problem = KeyInputRules.CheckKeyArn(arn);

        if (message is null) Assert.Null(problem);
        else Assert.Contains(message, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Team", "payments", null)]
    [InlineData("cost center:eu/1", "CC_1001 = a+b-c@d.e", null)]
    [InlineData("Équipe", "paiements ünd 決済", null)]
    [InlineData("Owner", "", null)]
    [InlineData("cost#center", "x", "'#'")]
    [InlineData("Owner", "a,b", "','")]
    [InlineData("Owner", "line\nbreak", "U+000A")]
    [InlineData("Owner", "tab\there", "U+0009")]
    [InlineData("Owner", "😀", "'😀'")]
    [InlineData("aws:owner", "x", "reserves")]
    public void TagKeysAndValuesHoldOnlyAwssCharacters(string key, string value, string? message)
    {
        var problem = KeyInputRules.CheckTags(new Dictionary<string, string> { [key] = value });

        if (message is null) Assert.Null(problem);
        else Assert.Contains(message, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnArnOfTheBackendsAccountIsPlannedAndOneOfAnotherAccountIsRefusedUnread()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateSingleRegionKeyAsync();
        var before = await h.Operations.PlanAsync(Operator, new EditDescriptionRequest { KeyId = $"arn:aws:kms:us-east-1:111122223333:key/{keyId}", Description = "x" }, default);
        await h.Inventory.RefreshAsync(default);
        h.Sent.Clear();

        var own = await h.Operations.PlanAsync(Operator, new EditDescriptionRequest { KeyId = $"arn:aws:kms:us-east-1:111122223333:key/{keyId}", Description = "x" }, default);
        var sentForOwn = h.Sent.Count;
        var other = await h.Operations.PlanAsync(Operator, new EditDescriptionRequest { KeyId = $"arn:aws:kms:us-east-1:444455556666:key/{keyId}", Description = "x" }, default);

        Assert.Equal(PlanStatus.Invalid, before.Status);
        Assert.Contains(before.Problems, p => p.Contains("not known yet", StringComparison.Ordinal));
        Assert.Equal(PlanStatus.Ready, own.Status);
        Assert.Equal(keyId, own.KeyId);
        Assert.Equal("us-east-1", own.Region);
        Assert.True(sentForOwn > 0);
        Assert.Equal(PlanStatus.Invalid, other.Status);
        Assert.Contains(other.Problems, p => p.Contains("account 444455556666", StringComparison.Ordinal) && p.Contains("111122223333", StringComparison.Ordinal));
        Assert.Equal(sentForOwn, h.Sent.Count);
    }
}
