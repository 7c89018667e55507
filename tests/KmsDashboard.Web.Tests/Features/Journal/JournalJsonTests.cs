using KmsDashboard.Web.Features.Journal;

namespace KmsDashboard.Web.Tests.Features.Journal;

/// <summary>A journal entry's inputs and plan read as fields and indented text, not escaped JSON on one line.</summary>
public sealed class JournalJsonTests
{
    // As entries were written before: \u0022 escapes and the enum as a number.
    private const string OldInputs = """{"Action":0,"KeyId":"mrk-1","Region":"us-east-1","TargetRegions":["eu-west-1","ap-south-1"],"Description":"say \u0022hi\u0022"}""";

    [Fact]
    public void FieldsAreReadByNameWithListsJoinedAndQuotesUnescaped()
    {
        var fields = JournalJson.Fields(OldInputs).ToDictionary(f => f.Name, f => f.Value);

        Assert.Equal("mrk-1", fields["KeyId"]);
        Assert.Equal("eu-west-1, ap-south-1", fields["TargetRegions"]);
        Assert.Equal("say \"hi\"", fields["Description"]);
    }

    [Fact]
    public void TheRawJsonIsIndentedWithoutEscapes()
    {
        var text = JournalJson.Indented(OldInputs);

        Assert.Contains("\n", text, StringComparison.Ordinal);
        Assert.Contains("say \\\"hi\\\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0022", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePlannedCallsAreFoundAndTextThatIsNotJsonIsShownAsItIs()
    {
        var calls = JournalJson.Items("""{"Title":"t","Calls":[{"Step":1,"Region":"us-east-1","Operation":"DisableKey"}]}""", "Calls");

        Assert.Equal("DisableKey", Assert.Single(calls)["Operation"]!.GetValue<string>());
        Assert.Equal("not json", JournalJson.Indented("not json"));
        Assert.Empty(JournalJson.Fields("not json"));
    }
}
