using System.Globalization;
using System.Text.Json.Serialization;

namespace KmsDashboard.Core.Runbooks;

/// <summary>
/// What the operator chose when planning a step, by <see cref="RunbookStepInput.Key"/>. The typed properties are the
/// inputs of the disable, schedule-deletion and watch steps; a new step declares its own inputs and reads them with
/// <see cref="Number"/> and <see cref="Text"/>.
/// </summary>
public sealed record RunbookStepOptions
{
    public const string WaitingDaysKey = "waiting-days", PendingWindowDaysKey = "window-days", OverrideReasonKey = "override-reason";

    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Days to wait after disabling the old key set before its deletion may be scheduled (0–90).</summary>
    [JsonIgnore]
    public int? WaitingDays { get => Number(WaitingDaysKey); init => Values = With(WaitingDaysKey, value?.ToString(CultureInfo.InvariantCulture)); }

    /// <summary>Days before AWS deletes the keys (7–30).</summary>
    [JsonIgnore]
    public int? PendingWindowDays { get => Number(PendingWindowDaysKey); init => Values = With(PendingWindowDaysKey, value?.ToString(CultureInfo.InvariantCulture)); }

    /// <summary>An Admin's written reason to go on although the old key is still used (journaled).</summary>
    [JsonIgnore]
    public string? OverrideReason { get => Text(OverrideReasonKey); init => Values = With(OverrideReasonKey, value); }

    /// <summary>The text given for <paramref name="key"/>, or null when none (or only blanks) was.</summary>
    public string? Text(string key) => Values.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>The whole number given for <paramref name="key"/>, or null when none was (or it is not one).</summary>
    public int? Number(string key) => int.TryParse(Text(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    private Dictionary<string, string> With(string key, string? value)
    {
        var values = new Dictionary<string, string>(Values, StringComparer.Ordinal);
        if (value is null) values.Remove(key);
        else values[key] = value;
        return values;
    }
}
