using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.Accounts;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Dependents;

namespace KmsDashboard.Core.Runbooks;

/// <summary>
/// The account a runbook or rotation wizard works in, and that account's clients: reads through the account's read
/// role, writes in the acting user's name (RoleSessionName and SourceIdentity), its CloudTrail and its S3 bucket catalog.
/// In the single-account set-up everything is the dashboard's own, exactly as before accounts existed.
/// </summary>
public sealed class RunbookAccounts
{
    private readonly AwsAccounts _accounts;
    private readonly CloudTrailClients _homeTrail;
    private readonly BucketCatalog? _buckets;

    public RunbookAccounts(AwsAccounts accounts, CloudTrailClients cloudTrail, BucketCatalog? buckets = null)
    {
        _accounts = accounts;
        _homeTrail = cloudTrail;
        _buckets = buckets;
    }

    /// <summary>True when the dashboard reads several accounts: every runbook and rotation then names its account.</summary>
    public bool MultiAccount => _accounts.MultiAccount;

    /// <summary>The dashboard's own Regions.</summary>
    public IReadOnlyList<string> HomeRegions => _accounts.Home.Regions;

    /// <summary>
    /// The account a new runbook or rotation asks for, checked before any AWS call: with several accounts one must be named
    /// and read by the dashboard; with one account none may be named. <paramref name="named"/> is the account a key ARN names, if any.
    /// </summary>
    public Task<(AwsAccount? Account, string? Problem)> ResolveAsync(string? requested, CancellationToken cancellationToken, string? named = null) =>
        _accounts.ResolveAsync(requested, cancellationToken, named);

    /// <summary>
    /// The account a stored runbook works in. A record from before accounts ("") is the dashboard's own account: among
    /// several, the one its credentials belong to when the dashboard reads it, else its own credentials as before.
    /// </summary>
    public async Task<(AwsAccount? Account, string? Problem)> ForRecordAsync(string? stored, CancellationToken cancellationToken)
    {
        var id = stored ?? "";
        if (id.Length == 0)
        {
            if (!_accounts.MultiAccount) return (_accounts.Default, null);
            var home = await _accounts.HomeAccountIdAsync(cancellationToken);
            return (home is not null && _accounts.Find(home) is { } own ? own : _accounts.Default, null);
        }
        if (!_accounts.MultiAccount)
            return (null, $"This runbook works in account {id}, and the dashboard now reads one account only: nothing is sent.");
        var account = await _accounts.FindAsync(id, cancellationToken);
        return account is null ? (null, $"This runbook works in account {id}, which is no longer one of the dashboard's accounts: nothing is sent.") : (account, null);
    }

    /// <summary>The configured or last discovered account with this id (null when unknown or in the single-account set-up).</summary>
    public AwsAccount? Find(string? accountId) => _accounts.MultiAccount && !string.IsNullOrEmpty(accountId) ? _accounts.Find(accountId) : null;

    /// <summary>The accounts a picker offers (empty in the single-account set-up).</summary>
    public async Task<IReadOnlyList<AwsAccount>> ListAsync(CancellationToken cancellationToken) =>
        _accounts.MultiAccount ? await _accounts.ListAsync(cancellationToken) : [];

    /// <summary>The account's Regions (the dashboard's own for the single account).</summary>
    public IReadOnlyList<string> Regions(AwsAccount account) => account.IsDefault ? _accounts.Home.Regions : account.Regions;

    /// <summary>Read clients of the account (session "kmsdashboard" in a member account).</summary>
    public AwsClients Reads(AwsAccount account) => _accounts.Clients(account);

    /// <summary>Clients acting for <paramref name="user"/> (their name as session name and SourceIdentity in a member account).</summary>
    public AwsClients Writes(AwsAccount account, string user) => _accounts.ActionClients(account, user);

    /// <summary>The account's CloudTrail (paced by the shared limiter).</summary>
    public CloudTrailClients CloudTrail(AwsAccount account) =>
        _homeTrail.Of(_accounts, account);

    /// <summary>
    /// The account's S3 buckets with their default encryption and replication rules: its part of the shared catalog the
    /// Dependents tab reads (one cache, one read per account), or null when the dependents model is not configured.
    /// </summary>
    public AccountBucketCatalog? Buckets(AwsAccount account) => _buckets?.Of(account.IsDefault ? "" : account.Id);
}
