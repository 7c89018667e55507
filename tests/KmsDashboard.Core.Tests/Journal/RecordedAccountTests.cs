using KmsDashboard.Core.Journal;

namespace KmsDashboard.Core.Tests.Journal;

public sealed class RecordedAccountTests
{
    [Theory]
    [InlineData("{\"KeyId\":\"mrk-1\",\"Account\":\"444455556666\"}", "{}", "444455556666")] // a key action's request
    [InlineData("{\"keyId\":\"mrk-1\",\"account\":\"444455556666\",\"primaryDown\":true}", "{}", "444455556666")] // a drill
    [InlineData("{\"KeyId\":\"mrk-1\",\"Account\":\"\"}", "{\"Title\":\"x\",\"Account\":\"444455556666\"}", "444455556666")] // the plan's
    [InlineData("{\"KeyId\":\"mrk-1\"}", "{\"Title\":\"x\",\"Account\":null}", "")] // the default account
    [InlineData("{\"Account\":{\"Id\":\"444455556666\",\"Name\":\"payments\"}}", "{}", "444455556666")] // an account object
    [InlineData("not json", "[1,2]", "")] // nothing readable: no account, no exception
    [InlineData("", "{\"Calls\":[{\"Account\":\"444455556666\"}]}", "")] // only the top level counts
    public void ReadsTheTopLevelAccountOfTheRequestThenThePlan(string inputs, string plan, string expected) =>
        Assert.Equal(expected, RecordedAccount.Of(inputs, plan));

    [Fact]
    public void TheKeyLinkCarriesTheRegionAndTheAccountWhenKnown()
    {
        Assert.Equal("keys/mrk-1?region=eu-west-1&account=444455556666", RecordedAccount.KeyHref("mrk-1", "eu-west-1", "444455556666"));
        Assert.Equal("keys/mrk-1?region=eu-west-1", RecordedAccount.KeyHref("mrk-1", "eu-west-1", ""));
        Assert.Equal("keys/mrk-1", RecordedAccount.KeyHref("mrk-1", "", ""));
    }
}
