using System.Text.Json.Nodes;
using KmsDashboard.Core.Findings;

namespace KmsDashboard.Core.Tests.Findings;

/// <summary>
/// The SARIF export against the SARIF 2.1.0 schema (sarif-schema-2.1.0.json, OASIS): every object we write carries the
/// properties the schema requires, with values of the schema's types and enums.
/// </summary>
public sealed class FindingsSarifTests
{
    // Required properties per definition, as sarif-schema-2.1.0.json states them.
    private static readonly Dictionary<string, string[]> Required = new()
    {
        ["sarifLog"] = ["version", "runs"],
        ["run"] = ["tool"],
        ["tool"] = ["driver"],
        ["toolComponent"] = ["name"],
        ["reportingDescriptor"] = ["id"],
        ["multiformatMessageString"] = ["text"],
        ["result"] = ["message"],
        ["suppression"] = ["kind"],
    };

    private static readonly string[] Levels = ["none", "note", "warning", "error"];

    private static FindingView View(FindingCheck check, FindingSeverity severity, SuppressionRecord? suppression = null) => new()
    {
        Id = Finding.MakeId(check.Id, "mrk-1234", "eu-west-1", null),
        Check = check,
        Severity = severity,
        KeyId = "mrk-1234",
        KeyName = "payments-prod",
        Region = "eu-west-1",
        Evidence = ["seen this", "and that"],
        FirstSeen = DateTimeOffset.UnixEpoch,
        LastSeen = DateTimeOffset.UnixEpoch.AddDays(1),
        Suppression = suppression,
    };

    [Fact]
    public void TheSarifLogHasEveryPropertyTheSchemaRequiresAndOneResultPerFindingWithItsEvidence()
    {
        var findings = new[]
        {
            View(FindingChecks.PendingDeletionInUse, FindingSeverity.Critical),
            View(FindingChecks.TagDrift, FindingSeverity.Low, new SuppressionRecord { Reason = "known", CreatedBy = "olivia", ExpiresAt = DateTime.UtcNow.AddDays(1) }),
            View(FindingChecks.ReplicaDrift, FindingSeverity.Medium),
        };

        var log = JsonNode.Parse(FindingsExport.Sarif(findings, "1.0.0").ToJsonString())!.AsObject();

        Has(log, "sarifLog");
        Assert.Equal("2.1.0", (string?)log["version"]);
        Assert.StartsWith("https://", (string?)log["$schema"]);
        var run = Has(Assert.Single(log["runs"]!.AsArray())!.AsObject(), "run");
        var driver = Has(Has(run["tool"]!.AsObject(), "tool")["driver"]!.AsObject(), "toolComponent");
        var rules = driver["rules"]!.AsArray().Select(r => Has(r!.AsObject(), "reportingDescriptor")).ToList();
        Assert.Equal(FindingChecks.All.Select(c => c.Id), rules.Select(r => (string?)r["id"]));
        Assert.All(rules, r =>
        {
            Has(r["shortDescription"]!.AsObject(), "multiformatMessageString");
            Has(r["help"]!.AsObject(), "multiformatMessageString");
            Assert.Contains((string?)r["defaultConfiguration"]!["level"], Levels);
        });
        var results = run["results"]!.AsArray().Select(r => Has(r!.AsObject(), "result")).ToList();
        Assert.Equal(3, results.Count);
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            Assert.Equal(findings[i].Check.Id, (string?)result["ruleId"]);
            Assert.Equal(findings[i].Check.Id, (string?)rules[(int)result["ruleIndex"]!]["id"]);
            Assert.Contains((string?)result["level"], Levels);
            Assert.False(string.IsNullOrEmpty((string?)result["message"]!["text"]));
            Assert.Equal(["seen this", "and that"], result["properties"]!["evidence"]!.AsArray().Select(e => (string?)e));
            Assert.Equal(findings[i].Id, (string?)result["partialFingerprints"]!["findingId/v1"]);
            Assert.Equal("resource", (string?)result["locations"]![0]!["logicalLocations"]![0]!["kind"]);
        }
        Assert.Equal("error", (string?)results[0]["level"]);
        var suppression = Has(Assert.Single(results[1]["suppressions"]!.AsArray())!.AsObject(), "suppression");
        Assert.Contains((string?)suppression["kind"], new[] { "inSource", "external" });
        Assert.Null(results[0]["suppressions"]);
    }

    private static JsonObject Has(JsonObject node, string definition)
    {
        foreach (var property in Required[definition])
            Assert.True(node.ContainsKey(property) && node[property] is not null, $"{definition} lacks the required '{property}'");
        return node;
    }
}
