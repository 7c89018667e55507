using System.Text.Json.Serialization;

namespace KmsDashboard.Core.Runbooks;

/// <summary>What an operator gives to start a runbook. Each definition has its own inputs type; nothing is trusted.</summary>
public abstract record RunbookInputs
{
    /// <summary>The definition that runs these inputs.</summary>
    [JsonIgnore]
    public abstract string Kind { get; }

    /// <summary>
    /// The account the runbook works in when the dashboard reads several (required then); empty in the single-account
    /// set-up (null). Checked before any AWS call.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Account { get; init; }
}
