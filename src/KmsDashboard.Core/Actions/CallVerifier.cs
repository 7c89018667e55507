using System.Text.RegularExpressions;
using Amazon.Runtime;
using KmsDashboard.Core.Journal;

namespace KmsDashboard.Core.Actions;

/// <summary>
/// Whether a journaled call whose answer never came took effect, found by re-reading the key it addressed: Done,
/// NotDone, or Unknown when the state cannot tell (or cannot be read).
/// </summary>
internal sealed partial class CallVerifier(KmsReader reader)
{
    public const string Done = "Done";
    public const string NotDone = "NotDone";
    public const string Unknown = "Unknown";

    /// <summary>The verdict and what was seen. <paramref name="parameters"/> is the planned call's parameter text (the journal's plan).</summary>
    public async Task<(string Verdict, string Note)> VerifyAsync(string keyId, JournalCall call, string parameters, CancellationToken ct)
    {
        var p = Parse(parameters);
        var key = p.GetValueOrDefault("KeyId") ?? keyId;
        try
        {
            switch (call.Operation)
            {
                case "ReplicateKey" when p.GetValueOrDefault("ReplicaRegion") is { } target:
                {
                    var replica = await reader.DescribeAsync(target, key, ct);
                    return replica is null ? (NotDone, $"{target} holds no key {key}.") : (Done, $"{target} holds the replica ({replica.State}).");
                }
                case "UpdatePrimaryRegion" when p.GetValueOrDefault("PrimaryRegion") is { } target:
                {
                    var facts = await reader.DescribeAsync(target, key, ct);
                    return facts is { IsPrimary: true } ? (Done, $"The key in {target} is the primary.")
                        : (NotDone, $"The key in {target} is {(facts is null ? "missing" : facts.IsReplica ? "still a replica" : facts.State)}.");
                }
                case "EnableKey" or "DisableKey" or "ScheduleKeyDeletion" or "CancelKeyDeletion" or "UpdateKeyDescription":
                {
                    var facts = await reader.DescribeAsync(call.Region, key, ct);
                    if (facts is null) return (Unknown, $"{key} was not found in {call.Region}.");
                    var done = call.Operation switch
                    {
                        "EnableKey" => facts.State == "Enabled",
                        "DisableKey" => facts.State == "Disabled",
                        "ScheduleKeyDeletion" => facts.IsPendingDeletion,
                        "CancelKeyDeletion" => !facts.IsPendingDeletion,
                        _ => p.TryGetValue("Description", out var description) ? facts.Description == description : (bool?)null,
                    };
                    return done switch
                    {
                        true => (Done, $"{key} in {call.Region} is {facts.State}{(call.Operation == "UpdateKeyDescription" ? " with the planned description" : "")}."),
                        false => (NotDone, $"{key} in {call.Region} is {facts.State}{(call.Operation == "UpdateKeyDescription" ? $", described \"{facts.Description}\"" : "")}."),
                        _ => (Unknown, "The planned value could not be read back from the journal."),
                    };
                }
                case "EnableKeyRotation" or "DisableKeyRotation":
                {
                    var (enabled, period, _) = await reader.RotationStatusAsync(call.Region, key, ct);
                    var wanted = call.Operation == "EnableKeyRotation";
                    var periodOk = !wanted || !int.TryParse(p.GetValueOrDefault("RotationPeriodInDays"), out var days) || period == days;
                    return enabled == wanted && periodOk
                        ? (Done, $"Automatic rotation is {(enabled ? $"on, every {period} days" : "off")}.")
                        : (NotDone, $"Automatic rotation is {(enabled ? $"on, every {period} days" : "off")}.");
                }
                case "CreateAlias" or "UpdateAlias" or "DeleteAlias" when p.GetValueOrDefault("AliasName") is { } alias:
                {
                    var found = (await reader.AliasesAsync(call.Region, ct)).FirstOrDefault(a => a.Name == alias);
                    if (call.Operation == "DeleteAlias")
                        return found.Name is null ? (Done, $"{alias} no longer exists in {call.Region}.") : (NotDone, $"{alias} still exists in {call.Region}.");
                    var target = p.GetValueOrDefault("TargetKeyId") ?? key;
                    return found.TargetKeyId == target ? (Done, $"{alias} points at {target} in {call.Region}.")
                        : (NotDone, found.Name is null ? $"{alias} does not exist in {call.Region}." : $"{alias} points at {found.TargetKeyId} in {call.Region}.");
                }
                case "UntagResource" when p.GetValueOrDefault("TagKeys") is { } keys:
                {
                    var tags = await reader.TagsAsync(call.Region, key, ct);
                    var left = keys.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(tags.ContainsKey).ToList();
                    return left.Count == 0 ? (Done, "None of the tags remains.") : (NotDone, $"Still tagged {string.Join(", ", left)}.");
                }
                default:
                    return (Unknown, $"{call.Operation} leaves nothing the key's state shows for certain: check the key (and CloudTrail) by hand.");
            }
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or TaskCanceledException)
        {
            return (Unknown, $"Could not read {call.Region}: {ex.GetBaseException().Message}");
        }
    }

    /// <summary>Reads the plan's <c>Name=value, Name="quoted value"</c> parameter text.</summary>
    internal static Dictionary<string, string> Parse(string parameters)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in ParameterPattern().Matches(parameters))
            values.TryAdd(m.Groups["name"].Value, m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["plain"].Value.Trim());
        return values;
    }

    [GeneratedRegex("""(?:^|,\s)(?<name>[A-Za-z]+)=(?:"(?<quoted>[^"]*)"(?=,\s[A-Za-z]+=|$)|(?<plain>[^,]*(?:,(?!\s[A-Za-z]+=)[^,]*)*))""", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterPattern();
}
