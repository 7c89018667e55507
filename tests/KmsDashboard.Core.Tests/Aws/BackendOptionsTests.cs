using System.ComponentModel.DataAnnotations;
using KmsDashboard.Core.Aws;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Tests.Aws;

public sealed class BackendOptionsTests
{
    private static List<string> Validate(BackendOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        if (results.Count == 0) results.AddRange(options.Validate(new ValidationContext(options)));
        return [.. results.Select(r => r.ErrorMessage ?? "")];
    }

    [Fact]
    public void TheDemoRegionsAreValid()
    {
        var errors = Validate(new BackendOptions { Regions = ["us-east-1", "eu-west-1", "ap-southeast-1", "us-gov-west-1"] });

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("moon-1")]
    [InlineData("US-EAST-1")]
    [InlineData("us-east")]
    [InlineData("eu-west-1 ")]
    public void ABadRegionNameIsNamedWithItsSetting(string region)
    {
        var errors = Validate(new BackendOptions { Regions = ["us-east-1", region] });

        Assert.Contains($"Backend:Regions holds '{region}', which is not an AWS Region name such as us-east-1.", errors);
    }

    [Fact]
    public void NoRegionsAtAllIsRefused()
    {
        var errors = Validate(new BackendOptions { Regions = [] });

        Assert.Contains("Backend:Regions must list at least one Region, e.g. [\"us-east-1\"].", errors);
    }

    [Fact]
    public void ARegionListedTwiceIsRefused()
    {
        var errors = Validate(new BackendOptions { Regions = ["eu-west-1", "eu-west-1"] });

        Assert.Contains("Backend:Regions lists a Region twice.", errors);
    }

    [Fact]
    public void ARelativeServiceUrlIsRefused()
    {
        var errors = Validate(new BackendOptions { Regions = ["eu-west-1"], ServiceUrl = "localhost:4566" });

        Assert.Contains(errors, e => e.StartsWith("Backend:ServiceUrl 'localhost:4566'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, BackendMode.Sandbox)]
    [InlineData("Sandbox", BackendMode.Sandbox)]
    [InlineData("aws", BackendMode.Aws)]
    [InlineData(" Aws ", BackendMode.Aws)]
    public void ReadModeAcceptsTheTwoModes(string? value, BackendMode expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Backend:Mode", value)]).Build();

        Assert.Equal(expected, BackendOptions.ReadMode(configuration));
    }

    [Theory]
    [InlineData("Cloud")]
    [InlineData("1")]
    [InlineData("Sandbox,Aws")]
    public void ReadModeNamesTheSettingWhenTheModeIsUnknown(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Backend:Mode", value)]).Build();

        var failure = Assert.Throws<OptionsValidationException>(() => BackendOptions.ReadMode(configuration));

        Assert.Equal($"Backend:Mode '{value}' is not a backend mode: use Sandbox or Aws.", failure.Message);
    }

    [Fact]
    public void RegionHealthIntervalsOutsideTheirRangeAreRefused()
    {
        var options = new RegionHealthOptions { ProbeInterval = TimeSpan.Zero, ProbeTimeout = TimeSpan.FromHours(1) };
        var results = new List<ValidationResult>();

        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        Assert.Contains(results, r => r.ErrorMessage!.StartsWith("RegionHealth:ProbeInterval", StringComparison.Ordinal));
        Assert.Contains(results, r => r.ErrorMessage!.StartsWith("RegionHealth:ProbeTimeout", StringComparison.Ordinal));
    }
}
