using System.ComponentModel.DataAnnotations;
using KmsDashboard.Core.Findings;

namespace KmsDashboard.Core.Tests.Findings;

/// <summary>The Findings settings are validated at start, each bad value with a message naming its setting.</summary>
public sealed class FindingsOptionsTests
{
    private static List<string> Problems(FindingsOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? "")];
    }

    [Fact]
    public void TheDefaultsAreValid() => Assert.Empty(Problems(new FindingsOptions()));

    [Fact]
    public void OutOfRangeThresholdsAreRefusedWithTheirSettingNamed()
    {
        var problems = Problems(new FindingsOptions { MaxRotationPeriodDays = 30, MinPendingWindowDays = 3 });

        Assert.Contains(problems, p => p.Contains("MaxRotationPeriodDays", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("MinPendingWindowDays", StringComparison.Ordinal));
    }

    [Fact]
    public void BadAccountsTagsAndWindowsAreRefusedWithTheirSettingNamed()
    {
        var problems = Problems(new FindingsOptions
        {
            AllowedAccounts = ["12345"],
            RequiredTags = ["CostCenter", " "],
            CloudTrailWindow = TimeSpan.FromMinutes(5),
        });

        Assert.Contains(problems, p => p.Contains("Findings:AllowedAccounts", StringComparison.Ordinal) && p.Contains("'12345'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Findings:RequiredTags", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Findings:CloudTrailWindow", StringComparison.Ordinal));
    }
}
