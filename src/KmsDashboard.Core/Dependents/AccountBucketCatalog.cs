namespace KmsDashboard.Core.Dependents;

/// <summary>
/// One account's part of the shared <see cref="BucketCatalog"/>, for a runbook or wizard that works in that account:
/// the same cached reads the Dependents tab uses, so a bucket listed for one is listed for the other.
/// </summary>
public sealed class AccountBucketCatalog
{
    private readonly BucketCatalog _catalog;

    internal AccountBucketCatalog(BucketCatalog catalog, string account)
    {
        _catalog = catalog;
        Account = account;
    }

    /// <summary>The account ("" is the single account's, or the dashboard's own credentials' among several).</summary>
    public string Account { get; }

    /// <summary>The account's buckets as last read.</summary>
    public BucketCatalogSnapshot Current => _catalog.CurrentOf(Account);

    /// <summary>The account's buckets, read again when older than the cache duration or when <paramref name="refresh"/> asks.</summary>
    public Task<BucketCatalogSnapshot> GetAsync(bool refresh, CancellationToken cancellationToken) => _catalog.GetAsync(Account, refresh, cancellationToken);
}
