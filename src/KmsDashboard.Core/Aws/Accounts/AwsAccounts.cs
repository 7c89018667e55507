using System.Collections.Concurrent;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KmsDashboard.Core.Aws.Accounts;

/// <summary>
/// The accounts the dashboard reads and their clients. With no <c>Backend:Accounts</c> and no <c>Backend:Organization</c>
/// there is one account, the credentials' own, served by the shared <see cref="AwsClients"/> exactly as before. Otherwise
/// each account gets its own clients over credentials of the role assumed there: reads with the session name
/// "kmsdashboard", actions with the dashboard user's name as session name and SourceIdentity (so CloudTrail names the
/// person). Credentials are kept and renewed before they expire.
/// </summary>
public sealed class AwsAccounts : IDisposable
{
    private readonly AwsClients _home;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, AwsClients> _readClients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Account, string Session), AwsClients> _actionClients = new();
    private readonly SemaphoreSlim _discovery = new(1, 1);
    private IReadOnlyList<AwsAccount>? _discovered;
    private DateTimeOffset _discoveredAt;
    private readonly TimeProvider _time;

    /// <summary>How long a discovered organization's account list is kept before ListAccounts is asked again.</summary>
    public static readonly TimeSpan DiscoveryLifetime = TimeSpan.FromMinutes(15);

    public AwsAccounts(AwsClients home, ILogger<AwsAccounts>? logger = null, TimeProvider? time = null)
    {
        _home = home;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        Configured = home.Options.Accounts.Length > 0 ? [.. home.Options.Accounts.Select(FromOptions)] : [];
    }

    /// <summary>The dashboard's own clients (its credentials, the backend's Regions).</summary>
    public AwsClients Home => _home;

    /// <summary>True when accounts are listed or discovered; false for the single-account set-up.</summary>
    public bool MultiAccount => _home.Options.MultiAccount;

    /// <summary>The accounts listed in <c>Backend:Accounts</c>, in configuration order.</summary>
    public IReadOnlyList<AwsAccount> Configured { get; }

    /// <summary>
    /// The account the dashboard's own credentials belong to (STS GetCallerIdentity, asked once; null while it cannot
    /// be read). Failover drills stored before accounts ran there.
    /// </summary>
    public async Task<string?> HomeAccountIdAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _homeAccountId) is { } known) return known;
        try
        {
            var response = await _home.Sts(_home.Regions[0]).GetCallerIdentityAsync(new Amazon.SecurityToken.Model.GetCallerIdentityRequest(), cancellationToken);
            Volatile.Write(ref _homeAccountId, response.Account);
            return response.Account;
        }
        catch (Exception ex) when (ex is Amazon.Runtime.AmazonClientException or Amazon.Runtime.AmazonServiceException or HttpRequestException)
        {
            _logger.LogWarning("Could not read the dashboard's own account from STS: {Error}", ex.Message);
            return null;
        }
    }

    private string? _homeAccountId;

    /// <summary>The single account of the single-account set-up.</summary>
    public AwsAccount Default => new("", "", null, null, _home.Regions);

    /// <summary>
    /// The accounts to read now: the configured list, the organization's active accounts (ListAccounts, kept for
    /// <see cref="DiscoveryLifetime"/>), or the one default account. A failed discovery throws when no earlier list is known.
    /// </summary>
    public async Task<IReadOnlyList<AwsAccount>> ListAsync(CancellationToken cancellationToken)
    {
        if (!MultiAccount) return [Default];
        if (Configured.Count > 0) return Configured;
        if (_discovered is { } known && _time.GetUtcNow() - _discoveredAt < DiscoveryLifetime) return known;
        await _discovery.WaitAsync(cancellationToken);
        try
        {
            if (_discovered is { } raced && _time.GetUtcNow() - _discoveredAt < DiscoveryLifetime) return raced;
            try
            {
                _discovered = await DiscoverAsync(cancellationToken);
                _discoveredAt = _time.GetUtcNow();
                return _discovered;
            }
            catch (Exception ex) when (ex is AwsServiceException or AmazonClientException or HttpRequestException && _discovered is not null)
            {
                _logger.LogWarning("Organizations ListAccounts failed ({Reason}); keeping the {Count} accounts read before", ex.Message, _discovered!.Count);
                return _discovered!;
            }
        }
        finally
        {
            _discovery.Release();
        }
    }

    /// <summary>The organization's active accounts, each with the configured role.</summary>
    public async Task<IReadOnlyList<AwsAccount>> DiscoverAsync(CancellationToken cancellationToken)
    {
        var org = _home.Options.Organization ?? throw new InvalidOperationException($"{BackendOptions.Section}:Organization is not set.");
        var client = new OrganizationsClient(_home.Credentials, _home.ServiceUrl is { } url ? new Uri(url) : null);
        var listed = await client.ListAllAccountsAsync(cancellationToken);
        var regions = org.Regions.Length > 0 ? org.Regions : _home.Regions;
        var accounts = listed
            .Where(a => AccountRules.IsAccountId(a.Id) && (a.State ?? a.Status ?? "ACTIVE") == "ACTIVE")
            .Select(a => new AwsAccount(a.Id!, a.Name ?? a.Id!, AccountRules.RoleArn(a.Id!, org.RoleName!, PartitionOf(a.Arn)), org.ExternalId, regions))
            .OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Id, StringComparer.Ordinal)
            .ToList();
        _logger.LogInformation("Organizations lists {Count} active accounts", accounts.Count);
        return accounts;
    }

    /// <summary>The read clients of <paramref name="account"/> (session name "kmsdashboard").</summary>
    public AwsClients Clients(AwsAccount account)
    {
        if (account.IsDefault) return _home;
        return _readClients.GetOrAdd(account.Id, _ => Build(account, AccountRules.ReadSessionName, sourceIdentity: null));
    }

    /// <summary>
    /// Clients acting in <paramref name="account"/> for <paramref name="user"/>: the role is assumed with the user's name as
    /// RoleSessionName and SourceIdentity, so the account's CloudTrail names the person behind each change.
    /// </summary>
    public AwsClients ActionClients(AwsAccount account, string user)
    {
        if (account.IsDefault) return _home;
        var session = AccountRules.SessionNameFor(user);
        return _actionClients.GetOrAdd((account.Id, session), _ => Build(account, session, session));
    }

    /// <summary>
    /// The account a request asks for, checked without an AWS call: with one account none may be named; with several, the
    /// request's or the one the key's ARN names (<paramref name="named"/>; the two must agree), configured or last discovered.
    /// <paramref name="thing"/> names what lives in it ("key", "key set") in the message.
    /// </summary>
    public (AwsAccount? Account, string? Problem) Resolve(string? requested, string? named = null, string thing = "key set")
    {
        var (id, problem) = Requested(requested, named, thing);
        if (problem is not null) return (null, problem);
        if (!MultiAccount) return (Default, null);
        return Find(id) is { } found ? (found, null) : (null, UnknownAccount(id));
    }

    /// <summary>
    /// <see cref="Resolve"/>, and for an organization an id not among the accounts discovered so far is looked for in the
    /// current list (Organizations ListAccounts, cached) — only once the id is well formed.
    /// </summary>
    public async Task<(AwsAccount? Account, string? Problem)> ResolveAsync(string? requested, CancellationToken cancellationToken,
        string? named = null, string thing = "key set")
    {
        var (id, problem) = Requested(requested, named, thing);
        if (problem is not null) return (null, problem);
        if (!MultiAccount) return (Default, null);
        return await FindAsync(id, cancellationToken) is { } found ? (found, null) : (null, UnknownAccount(id));
    }

    /// <summary><see cref="Find"/>, then (an organization, a well-formed id) the current ListAccounts list.</summary>
    public async Task<AwsAccount?> FindAsync(string accountId, CancellationToken cancellationToken)
    {
        if (Find(accountId) is { } known) return known;
        if (!MultiAccount || Configured.Count > 0 || !AccountRules.IsAccountId(accountId)) return null;
        return (await ListAsync(cancellationToken)).FirstOrDefault(a => a.Id == accountId);
    }

    /// <summary>Why an account id is refused: not 12 digits, or not one the dashboard reads.</summary>
    public static string UnknownAccount(string accountId) => AccountRules.IsAccountId(accountId)
        ? $"Account {accountId} is not one of the dashboard's accounts."
        : $"'{accountId}' is not an AWS account id (12 digits).";

    private (string Id, string? Problem) Requested(string? requested, string? named, string thing)
    {
        var id = requested?.Trim() ?? "";
        if (!MultiAccount) return id.Length > 0 ? (id, $"The dashboard reads one account, so no account is chosen (got {id}).") : (id, null);
        if (named is not null)
        {
            if (id.Length > 0 && id != named) return (id, $"The ARN names account {named} but account {id} was chosen.");
            id = named;
        }
        return id.Length == 0 ? (id, $"Choose the account the {thing} lives in: the dashboard reads several accounts.") : (id, null);
    }

    /// <summary>The account with this id among the configured or last discovered ones; "" is the single account.</summary>
    public AwsAccount? Find(string? accountId)
    {
        if (!MultiAccount) return string.IsNullOrEmpty(accountId) ? Default : null;
        if (string.IsNullOrEmpty(accountId)) return null;
        return (Configured.Count > 0 ? Configured : _discovered ?? []).FirstOrDefault(a => a.Id == accountId);
    }

    private AwsClients Build(AwsAccount account, string sessionName, string? sourceIdentity)
    {
        var credentials = new AssumedRoleCredentials(_home.Sts(StsRegion(account)), account.RoleArn!, sessionName, account.ExternalId, sourceIdentity, time: _time);
        return new AwsClients(_home.Options, credentials, account.Regions, account.Id);
    }

    // STS is asked in the account's first Region (Regional endpoints; the sandbox and moto accept any).
    private string StsRegion(AwsAccount account) => account.Regions.Count > 0 ? account.Regions[0] : _home.Regions[0];

    private AwsAccount FromOptions(AccountOptions o)
    {
        var roleArn = string.IsNullOrWhiteSpace(o.RoleArn) ? AccountRules.RoleArn(o.Id, o.RoleName!) : o.RoleArn!;
        var regions = o.Regions is { Length: > 0 } r ? r : _home.Options.Regions;
        return new AwsAccount(o.Id, string.IsNullOrWhiteSpace(o.Name) ? o.Id : o.Name!, roleArn, o.ExternalId, regions);
    }

    private static string PartitionOf(string? arn) =>
        arn is not null && arn.StartsWith("arn:", StringComparison.Ordinal) && arn.Split(':') is { Length: > 2 } parts ? parts[1] : "aws";

    public void Dispose()
    {
        foreach (var c in _readClients.Values) c.Dispose();
        foreach (var c in _actionClients.Values) c.Dispose();
        _readClients.Clear();
        _actionClients.Clear();
    }
}
