using System.ComponentModel.DataAnnotations;

namespace KmsDashboard.Core.Cluster;

/// <summary>
/// The <c>Cluster</c> section: how instances sharing one PostgreSQL store (<c>Storage:Provider=Postgres</c>) pick the one
/// that reads AWS. Unused on SQLite (a single instance).
/// </summary>
public sealed class ClusterOptions : IValidatableObject
{
    public const string Section = "Cluster";

    /// <summary>This instance's name, shown on the status bar and stored with the snapshot it publishes.</summary>
    [Required(ErrorMessage = "Cluster:InstanceName must not be empty.")]
    public string InstanceName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>
    /// How often a follower tries to take the leader lock (and checks for a snapshot it missed). Null: a quarter of
    /// <c>Inventory:RefreshInterval</c>, between 1 and 30 seconds, so a dead leader is replaced within one refresh interval.
    /// </summary>
    public TimeSpan? LeaderCheckInterval { get; set; }

    /// <summary>The leader publishes the snapshot at most this often while a refresh fills it Region by Region.</summary>
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The PostgreSQL connection string (from <c>Storage:ConnectionString</c>).</summary>
    public string ConnectionString { get; set; } = "";

    public TimeSpan LeaderCheckIntervalFor(TimeSpan refreshInterval) =>
        LeaderCheckInterval ?? TimeSpan.FromTicks(Math.Clamp(refreshInterval.Ticks / 4, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromSeconds(30).Ticks));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
            yield return new ValidationResult("Storage:ConnectionString must be set when Storage:Provider is Postgres.", [nameof(ConnectionString)]);
        if (LeaderCheckInterval is { } check && (check < TimeSpan.FromMilliseconds(200) || check > TimeSpan.FromMinutes(10)))
            yield return new ValidationResult($"{Section}:LeaderCheckInterval must be between 00:00:00.2 and 00:10:00 (it is {check}).", [nameof(LeaderCheckInterval)]);
        if (PublishInterval < TimeSpan.Zero || PublishInterval > TimeSpan.FromMinutes(1))
            yield return new ValidationResult($"{Section}:PublishInterval must be between 00:00:00 and 00:01:00 (it is {PublishInterval}).", [nameof(PublishInterval)]);
    }
}
