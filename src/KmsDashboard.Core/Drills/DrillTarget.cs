namespace KmsDashboard.Core.Drills;

/// <summary>A key set to drill: its multi-Region key id and, when the dashboard reads several accounts, its account.</summary>
public sealed record DrillTarget(string KeyId, string Account = "")
{
    /// <summary>"account/keyId" with several accounts, the key id alone otherwise: how drills are looked up per key set.</summary>
    public string Scoped => Account.Length > 0 ? $"{Account}/{KeyId}" : KeyId;
}
