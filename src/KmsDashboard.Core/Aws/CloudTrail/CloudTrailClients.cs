using System.Collections.Concurrent;
using KmsDashboard.Core.Aws.Accounts;

namespace KmsDashboard.Core.Aws.CloudTrail;

/// <summary>One long-lived <see cref="CloudTrailClient"/> per Region, all paced by one shared <see cref="CloudTrailRateLimiter"/>.</summary>
public sealed class CloudTrailClients(AwsClients clients, CloudTrailRateLimiter limiter)
{
    private readonly ConcurrentDictionary<string, CloudTrailClient> _byRegion = new(StringComparer.Ordinal);

    public CloudTrailRateLimiter Limiter => limiter;

    public CloudTrailClient For(string region) => _byRegion.GetOrAdd(region, r => new CloudTrailClient(clients, r, limiter));

    private readonly ConcurrentDictionary<string, CloudTrailClients> _byAccount = new(StringComparer.Ordinal);

    /// <summary>
    /// The CloudTrail of <paramref name="account"/> read through its role (<see cref="AwsAccounts.Clients"/>), paced by this
    /// same limiter (its own account-Region slots); the default account's is this one. One per account for every caller.
    /// </summary>
    public CloudTrailClients Of(AwsAccounts accounts, AwsAccount account) =>
        account.IsDefault ? this : _byAccount.GetOrAdd(account.Id, _ => new CloudTrailClients(accounts.Clients(account), limiter));
}
