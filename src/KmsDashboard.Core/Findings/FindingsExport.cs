using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KmsDashboard.Core.Findings;

/// <summary>The findings as CSV, JSON or SARIF 2.1.0 (for code-scanning tools), each with the check id and the evidence.</summary>
public static class FindingsExport
{
    public const string SarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task WriteCsvAsync(IEnumerable<FindingView> findings, TextWriter writer, CancellationToken cancellationToken)
    {
        var csv = new KmsDashboard.Core.Export.CsvExportWriter(writer);
        csv.WriteRow(["Id", "CheckId", "Check", "Severity", "KeyId", "KeyName", "Account", "Region", "Subject", "Evidence", "Fix", "FirstSeenUtc", "LastSeenUtc", "FixedAtUtc",
            "Stale", "SuppressedUntilUtc", "SuppressionReason"]);
        foreach (var f in findings)
        {
            csv.WriteRow(
            [
                f.Id, f.Check.Id, f.Check.Title, f.Severity.ToString(), f.KeyId, f.KeyName, f.Account, f.Region ?? "", f.Subject ?? "", string.Join(" | ", f.Evidence),
                f.Fix?.Label ?? "", Iso(f.FirstSeen), Iso(f.LastSeen), f.FixedAt is { } fixedAt ? Iso(fixedAt) : "", f.Stale ? "yes" : "no",
                f.Suppression is { } s ? Iso(new DateTimeOffset(DateTime.SpecifyKind(s.ExpiresAt, DateTimeKind.Utc))) : "", f.Suppression?.Reason ?? "",
            ]);
        }
        await writer.FlushAsync(cancellationToken);
    }

    public static async Task WriteJsonAsync(IEnumerable<FindingView> findings, Stream stream, CancellationToken cancellationToken)
    {
        var array = new JsonArray([.. findings.Select(f => (JsonNode)new JsonObject
        {
            ["id"] = f.Id,
            ["checkId"] = f.Check.Id,
            ["check"] = f.Check.Title,
            ["group"] = f.Check.GroupTitle,
            ["severity"] = f.Severity.ToString(),
            ["keyId"] = f.KeyId,
            ["keyName"] = f.KeyName,
            ["account"] = f.Account.Length > 0 ? f.Account : null,
            ["region"] = f.Region,
            ["subject"] = f.Subject,
            ["evidence"] = new JsonArray([.. f.Evidence.Select(e => (JsonNode)JsonValue.Create(e)!)]),
            ["why"] = f.Check.Why,
            ["howToFix"] = f.Check.HowToFix,
            ["fix"] = f.Fix?.Label,
            ["monthlySavingUsd"] = f.MonthlySaving,
            ["firstSeen"] = Iso(f.FirstSeen),
            ["lastSeen"] = Iso(f.LastSeen),
            ["fixedAt"] = f.FixedAt is { } fixedAt ? Iso(fixedAt) : null,
            ["stale"] = f.Stale,
            ["staleReason"] = f.StaleReason,
            ["suppression"] = f.Suppression is { } s ? Suppression(s) : null,
        })]);
        await JsonSerializer.SerializeAsync(stream, array, Indented, cancellationToken);
    }

    public static async Task WriteSuppressionsJsonAsync(IEnumerable<SuppressionRecord> suppressions, DateTimeOffset now, Stream stream, CancellationToken cancellationToken)
    {
        var array = new JsonArray([.. suppressions.Select(s =>
        {
            var node = Suppression(s);
            node["active"] = s.IsActive(now);
            return (JsonNode)node;
        })]);
        await JsonSerializer.SerializeAsync(stream, array, Indented, cancellationToken);
    }

    /// <summary>A SARIF 2.1.0 log: one run, a rule per check, a result per finding with its evidence and a stable fingerprint.</summary>
    public static JsonObject Sarif(IEnumerable<FindingView> findings, string toolVersion)
    {
        var list = findings.ToList();
        var rules = FindingChecks.All.Select(c => (JsonNode)new JsonObject
        {
            ["id"] = c.Id,
            ["name"] = string.Concat(c.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..])).Replace("*", "Star", StringComparison.Ordinal),
            ["shortDescription"] = new JsonObject { ["text"] = c.Title },
            ["fullDescription"] = new JsonObject { ["text"] = c.Why },
            ["help"] = new JsonObject { ["text"] = c.HowToFix },
            ["defaultConfiguration"] = new JsonObject { ["level"] = Level(c.Severity) },
            ["properties"] = new JsonObject { ["group"] = c.GroupTitle, ["severity"] = c.Severity.ToString() },
        }).ToList();
        var index = FindingChecks.All.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var results = list.Select(f =>
        {
            var result = new JsonObject
            {
                ["ruleId"] = f.Check.Id,
                ["level"] = Level(f.Severity),
                ["message"] = new JsonObject { ["text"] = $"{f.Check.Title}: {f.KeyName}{(f.Account.Length > 0 ? $" (account {f.Account})" : "")}{(f.Region is null ? "" : $" in {f.Region}")}. {string.Join(" ", f.Evidence)}" },
                ["locations"] = new JsonArray(new JsonObject
                {
                    ["logicalLocations"] = new JsonArray(new JsonObject
                    {
                        ["name"] = f.KeyName,
                        ["fullyQualifiedName"] = (f.Account.Length > 0 ? $"kms:{f.Account}:" : "kms:") + (f.Region is null ? f.KeyId : $"{f.Region}:{f.KeyId}"),
                        ["kind"] = "resource",
                    }),
                }),
                ["partialFingerprints"] = new JsonObject { ["findingId/v1"] = f.Id },
                ["properties"] = new JsonObject
                {
                    ["severity"] = f.Severity.ToString(),
                    ["keyId"] = f.KeyId,
                    ["account"] = f.Account.Length > 0 ? f.Account : null,
                    ["region"] = f.Region,
                    ["subject"] = f.Subject,
                    ["evidence"] = new JsonArray([.. f.Evidence.Select(e => (JsonNode)JsonValue.Create(e)!)]),
                    ["firstSeen"] = Iso(f.FirstSeen),
                    ["lastSeen"] = Iso(f.LastSeen),
                    ["stale"] = f.Stale,
                },
            };
            if (index.TryGetValue(f.Check.Id, out var i)) result["ruleIndex"] = i;
            if (f.Suppression is { } s)
                result["suppressions"] = new JsonArray(new JsonObject
                {
                    ["kind"] = "external",
                    ["status"] = "accepted",
                    ["justification"] = $"{s.Reason} (by {s.CreatedBy}, until {s.ExpiresAt:yyyy-MM-dd})",
                });
            return (JsonNode)result;
        }).ToList();
        return new JsonObject
        {
            ["$schema"] = SarifSchema,
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject
                    {
                        ["name"] = "KmsDashboard Findings",
                        ["version"] = toolVersion,
                        ["rules"] = new JsonArray([.. rules]),
                    },
                },
                ["results"] = new JsonArray([.. results]),
                ["columnKind"] = "utf16CodeUnits",
            }),
        };
    }

    public static async Task WriteSarifAsync(IEnumerable<FindingView> findings, string toolVersion, Stream stream, CancellationToken cancellationToken) =>
        await JsonSerializer.SerializeAsync(stream, Sarif(findings, toolVersion), Indented, cancellationToken);

    /// <summary>SARIF's levels: error for critical and high, warning for medium, note below.</summary>
    public static string Level(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Critical or FindingSeverity.High => "error",
        FindingSeverity.Medium => "warning",
        _ => "note",
    };

    private static JsonObject Suppression(SuppressionRecord s) => new()
    {
        ["id"] = s.Id,
        ["findingId"] = s.FindingId,
        ["checkId"] = s.CheckId,
        ["keyId"] = s.KeyId,
        ["region"] = s.Region,
        ["reason"] = s.Reason,
        ["createdBy"] = s.CreatedBy,
        ["createdAt"] = Iso(new DateTimeOffset(DateTime.SpecifyKind(s.CreatedAt, DateTimeKind.Utc))),
        ["expiresAt"] = Iso(new DateTimeOffset(DateTime.SpecifyKind(s.ExpiresAt, DateTimeKind.Utc))),
        ["liftedAt"] = s.LiftedAt is { } l ? Iso(new DateTimeOffset(DateTime.SpecifyKind(l, DateTimeKind.Utc))) : null,
        ["liftedBy"] = s.LiftedBy,
    };

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
