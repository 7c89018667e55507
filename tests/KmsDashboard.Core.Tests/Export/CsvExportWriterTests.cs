using KmsDashboard.Core.Audit;
using KmsDashboard.Core.Export;
using KmsDashboard.Core.Tests.Audit;
using KmsDashboard.Core.Usage;

namespace KmsDashboard.Core.Tests.Export;

public sealed class CsvExportWriterTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    [InlineData("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\r=1", "\"'\r=1\"")]
    [InlineData("＝1+1", "'＝1+1")]
    public void EveryFormulaTriggerAtTheStartOfACellIsDefused(string value, string expected)
    {
        Assert.Equal(expected, CsvExportWriter.Cell(value));
    }

    [Theory]
    [InlineData("alias/payments", "alias/payments")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("a=b", "a=b")]
    [InlineData("-12", "-12")]
    [InlineData("3.5", "3.5")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void OtherCellsAreQuotedOnlyWhenTheyMustBeAndNumbersStayNumbers(string? value, string expected)
    {
        Assert.Equal(expected, CsvExportWriter.Cell(value));
    }

    [Fact]
    public void HeadersAreDefusedLikeAnyOtherCell()
    {
        var text = new StringWriter();

        new CsvExportWriter(text).WriteRow(["Timestamp", "=cmd|' /C calc'!A0", "-payments"]);

        Assert.Equal("Timestamp,'=cmd|' /C calc'!A0,'-payments\r\n", text.ToString());
    }

    [Fact]
    public void AUsageChartWritesItsSeriesNamesDefusedAndItsValuesAsNumbers()
    {
        var chart = new UsageChart("Requests", [new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)], [new UsageSeries("@evil", [1500.5]), new UsageSeries("Decrypt", [0])]);

        var lines = chart.ToCsv().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("Timestamp,'@evil,Decrypt", lines[0]);
        Assert.Equal("2026-03-01T00:00:00Z,1500.5,0", lines[1]);
    }

    [Fact]
    public async Task TheQueryEchoedInAnAuditExportHeaderStaysOneInertCell()
    {
        var query = new AuditQuery
        {
            Regions = ["us-east-1"], Start = DateTimeOffset.UnixEpoch, End = DateTimeOffset.UnixEpoch.AddHours(1),
            Filter = AuditFilterKind.User, Value = "x,=cmd|' /C calc'!A0",
        };
        var plan = new AuditPlan(query, [new AuditLookup("us-east-1", "Username", query.Value)], []);
        using var output = new MemoryStream();

        await using (var writer = new AuditExportWriter(output, AuditExportFormat.Csv))
        {
            await writer.WriteHeaderAsync(plan, DateTimeOffset.UnixEpoch, "=alice", CancellationToken.None);
            await writer.WriteEventsAsync([new AuditEvent { Region = "us-east-1", EventId = "e1", EventTime = DateTimeOffset.UnixEpoch, EventName = "Decrypt", Username = "-bob", UserType = "IAMUser" }], CancellationToken.None);
        }

        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = AuditServiceTests.CsvFields(lines[0]);
        Assert.Single(header);
        Assert.StartsWith("# KmsDashboard CloudTrail export | query: user=x,=cmd", header[0]);
        Assert.Contains("'-bob", AuditServiceTests.CsvFields(lines[2]));
    }
}
