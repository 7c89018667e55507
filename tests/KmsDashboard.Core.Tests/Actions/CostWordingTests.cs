using System.Globalization;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Usage;

namespace KmsDashboard.Core.Tests.Actions;

/// <summary>Amounts are US dollars whatever the server's culture, and the rotation plan counts rotations already made.</summary>
public sealed class CostWordingTests
{
    [Theory]
    [InlineData("¤", ",", ".")]
    [InlineData("€", ".", ",")]
    public void AmountsAreWrittenInDollarsWhateverTheCulture(string currencySymbol, string groupSeparator, string decimalSeparator)
    {
        // The app runs with invariant globalization (its currency sign is "¤"); a culture of other signs and separators
        // stands in for a server configured otherwise.
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.CurrencySymbol = currencySymbol;
        culture.NumberFormat.NumberGroupSeparator = culture.NumberFormat.CurrencyGroupSeparator = groupSeparator;
        culture.NumberFormat.NumberDecimalSeparator = culture.NumberFormat.CurrencyDecimalSeparator = decimalSeparator;
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = culture;
        try
        {
            Assert.Equal("$1,234.50", Usd.Format(1234.5m));
            Assert.Equal("$1", Usd.Format(1m, 0));
            Assert.Equal("-$0.03", Usd.Format(-0.03m));
            var line = new CostLine("k", "k", ["us-east-1"], 2, 1, false, 0, 2m, 2m, 0.5m);
            Assert.Equal("2 keys × $1 + 2 × 1 rotation × $1 + requests $0.50 = $4.50", line.Arithmetic);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void TheRotationNoteSaysWhatThisRotationAddsGivenThoseBeforeIt()
    {
        Assert.Contains("adds $4 a month", KeyOperations.RotationCostNote(0, 4));
        Assert.Contains("rotation 2", KeyOperations.RotationCostNote(1, 1));
        Assert.Contains("further rotations add nothing", KeyOperations.RotationCostNote(2, 3));
        Assert.DoesNotContain("adds $", KeyOperations.RotationCostNote(5, 3));
    }
}
