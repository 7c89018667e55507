namespace KmsDashboard.Core.Inventory;

/// <summary>
/// Several dashboard instances sharing one inventory (<c>Storage:Provider=Postgres</c>): one instance, the leader, reads
/// AWS and publishes the snapshot; the others (followers) serve what it published and hand their refresh requests to it.
/// Absent on a single instance.
/// </summary>
public interface IInventoryCluster
{
    /// <summary>True while this instance holds the leader lock and so reads AWS for the cluster.</summary>
    bool IsLeader { get; }

    /// <summary>Who leads and how fresh the shared snapshot is, for the status bar.</summary>
    InventoryClusterStatus Status { get; }

    /// <summary>
    /// A follower's full refresh: asks the leader to refresh and waits for a snapshot read after <paramref name="readAtBefore"/>.
    /// </summary>
    Task RequestRefreshAsync(DateTimeOffset? readAtBefore, CancellationToken cancellationToken);

    /// <summary>A follower's re-read of some keys (after an action): asks the leader and waits until it has published them.</summary>
    Task RequestKeysAsync(IReadOnlyList<KeyRef> keys, CancellationToken cancellationToken);
}
