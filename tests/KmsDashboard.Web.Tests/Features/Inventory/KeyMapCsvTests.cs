using KmsDashboard.Core.Inventory;
using KmsDashboard.Web.Features.Inventory;

namespace KmsDashboard.Web.Tests.Features.Inventory;

public sealed class KeyMapCsvTests
{
    private static RegionalKey Key(string region, string id, string description, MultiRegionRole role = MultiRegionRole.None) => new()
    {
        Region = region, KeyId = id, Arn = $"arn:aws:kms:{region}:111122223333:key/{id}", State = "Enabled", Enabled = true,
        Description = description, Role = role, PrimaryRegion = role == MultiRegionRole.None ? null : "us-east-1", Aliases = ["alias/x"],
    };

    [Fact]
    public void WritesOneLinePerRowWithAColumnPerRegionAndDefusesFormulas()
    {
        var mrk = "mrk-0123456789abcdef0123456789abcdef";
        KeyMapRow[] rows =
        [
            KeyMapRow.For(new KeySet(mrk, "us-east-1", new Dictionary<string, RegionalKey>
            {
                ["us-east-1"] = Key("us-east-1", mrk, "a", MultiRegionRole.Primary),
                ["eu-west-1"] = Key("eu-west-1", mrk, "a", MultiRegionRole.Replica),
            }, KeySetDrift.None)),
            KeyMapRow.For(Key("eu-west-1", "1234abcd-12ab-34cd-56ef-1234567890ab", "=HYPERLINK(\"x\")")),
        ];
        var text = new StringWriter();

        KeyMapCsv.Write(text, rows, ["us-east-1", "eu-west-1"]);

        var lines = text.ToString().TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("Name,KeyId,Type,PrimaryRegion,Aliases,Description,State,Rotation,Drift,us-east-1,eu-west-1", lines[0]);
        Assert.Equal(3, lines.Count);
        Assert.EndsWith("primary Enabled,replica Enabled", lines[1]);
        Assert.EndsWith(",Enabled", lines[2]);
        // The description is written, but never as a cell a spreadsheet would evaluate.
        Assert.Contains("HYPERLINK", lines[2]);
        Assert.DoesNotContain(",=HYPERLINK", lines[2]);
        Assert.DoesNotContain(",\"=HYPERLINK", lines[2]);
    }

    [Fact]
    public void AFilterSurvivesTheQueryString()
    {
        var filter = new KeyMapFilter { Search = "pay ments", Tag = "Team=x", DriftOnly = true, Kind = KeyKindFilter.MultiRegion, Sort = KeyMapSort.Drift, Descending = true };

        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(filter.ToQueryString());
        var back = KeyMapFilter.FromQuery(n => query.TryGetValue(n, out var v) ? v.ToString() : null);

        Assert.Equal(filter, back);
    }
}
