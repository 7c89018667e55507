namespace KmsDashboard.Core.Audit;

/// <summary>How an account-Region is named in progress, outcomes and export lines.</summary>
internal static class AuditAccountLabel
{
    /// <summary>The Region alone in the single-account set-up (account ""); else the account's name (or id) and the Region.</summary>
    public static string Of(string accountName, string account, string region) =>
        string.IsNullOrEmpty(account) ? region : $"{(string.IsNullOrEmpty(accountName) ? account : accountName)} {region}";
}
