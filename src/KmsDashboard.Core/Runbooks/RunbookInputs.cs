using System.Text.Json.Serialization;

namespace KmsDashboard.Core.Runbooks;

/// <summary>What an operator gives to start a runbook. Each definition has its own inputs type; nothing is trusted.</summary>
public abstract record RunbookInputs
{
    /// <summary>The definition that runs these inputs.</summary>
    [JsonIgnore]
    public abstract string Kind { get; }
}
