using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.Kms;

/// <summary>One <c>TrentService.*</c> operation: its name, whether CloudTrail marks it read-only, and its handler.</summary>
internal sealed record KmsOperation(string Name, bool ReadOnly, Func<KmsCallContext, JsonObject?> Handle)
{
    /// <summary>Cryptographic operations: their calls count against the shared symmetric quota and as key usage.</summary>
    public bool Cryptographic { get; init; }
}
