namespace KmsDashboard.Core.Runbooks;

/// <summary>Start inputs of "Retire a key set": watch its use drain, disable it, schedule its deletion (replicas first).</summary>
public sealed record RetireInputs : RunbookInputs
{
    public const string KindName = "Retire";

    public override string Kind => KindName;

    public required string KeyId { get; init; }

    public int DrainHours { get; init; } = 24;
}
