namespace KmsDashboard.Core.Dependents;

/// <summary>The key a name resolves to (its id and the Region it lives in) and how it was named.</summary>
public sealed record KeyNameMatch(string KeyId, string Region, KeyNameKind Kind);
