namespace KmsDashboard.Core.Findings;

/// <summary>
/// Several instances sharing one findings store (<c>Storage:Provider=Postgres</c>): only the cluster's leader evaluates
/// (its reads of AWS are made once for the cluster); the others serve what it stored and hand their "evaluate now" to it.
/// Absent on a single instance. Implemented by <c>Core/Cluster</c>.
/// </summary>
public interface IFindingsCluster
{
    /// <summary>True while this instance leads the cluster and so evaluates the findings for it.</summary>
    bool IsLeader { get; }

    /// <summary>
    /// A follower's evaluation: asks the leader and waits until it has stored an evaluation begun after the request and
    /// this instance has loaded it. Throws when the leader reports the evaluation failed, or none comes in time.
    /// </summary>
    Task RequestEvaluationAsync(CancellationToken cancellationToken);

    /// <summary>The leader's side: the followers' requests that the evaluation starting now answers (taken once).</summary>
    IReadOnlyList<string> TakeRequests();

    /// <summary>Whether followers' requests wait for an evaluation here.</summary>
    bool HasRequests { get; }

    /// <summary>Tells the other instances the stored findings changed (an evaluation answering <paramref name="answered"/>, or a suppression).</summary>
    Task StoredAsync(IReadOnlyList<string> answered, CancellationToken cancellationToken);

    /// <summary>Tells the followers whose <paramref name="requests"/> the evaluation was to answer that it failed, and why.</summary>
    Task FailedAsync(IReadOnlyList<string> requests, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// How this instance takes part: <paramref name="reload"/> when another instance stored findings (a follower's waits end
    /// after it); <paramref name="wake"/> when a follower asks this leader to evaluate, or the leader changed.
    /// </summary>
    IDisposable Attach(Func<CancellationToken, Task> reload, Action wake);
}
