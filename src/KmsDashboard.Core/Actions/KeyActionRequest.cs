using System.Text.Json.Serialization;

namespace KmsDashboard.Core.Actions;

/// <summary>
/// What a user asks for: the key (its id or ARN) in a Region, and the action's own inputs. Nothing is trusted:
/// <see cref="KeyOperations.PlanAsync"/> authorizes, validates and re-reads state before anything is sent.
/// </summary>
public abstract record KeyActionRequest
{
    /// <summary>The key id (<c>mrk-…</c> or a UUID) or the key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>The Region the key is addressed in (may be left empty when <see cref="KeyId"/> is an ARN).</summary>
    public string Region { get; init; } = "";

    /// <summary>
    /// The account the key lives in, when the dashboard reads several (taken from <see cref="KeyId"/> when that is an
    /// ARN); empty in the single-account set-up.
    /// </summary>
    public string Account { get; init; } = "";

    [JsonIgnore]
    public abstract KeyAction Action { get; }
}
