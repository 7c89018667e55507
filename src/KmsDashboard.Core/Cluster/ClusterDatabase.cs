using Npgsql;

namespace KmsDashboard.Core.Cluster;

/// <summary>
/// The cluster's own two tables in the shared PostgreSQL database: the published inventory snapshot (one row) and the
/// CloudTrail pacing (one row per Region). Created at start if missing; nothing else of the store is touched here.
/// </summary>
public sealed class ClusterDatabase : IAsyncDisposable
{
    /// <summary>The NOTIFY channel: snapshots published, refreshes and key re-reads asked of the leader.</summary>
    public const string Channel = "kmsdash_inventory";

    public ClusterDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    private int _created;

    /// <summary>Creates the tables once per process; two instances starting together serialize on a transaction lock.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 1) return;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("""
            SELECT pg_advisory_xact_lock(hashtext('kmsdash_cluster_schema'));
            CREATE TABLE IF NOT EXISTS cluster_inventory_snapshot (
                id integer PRIMARY KEY CHECK (id = 1),
                term bigint NOT NULL,
                generation bigint NOT NULL,
                leader text NOT NULL,
                published_at timestamptz NULL,
                read_at timestamptz NULL,
                data bytea NULL);
            CREATE TABLE IF NOT EXISTS cluster_cloudtrail_pacing (
                region text PRIMARY KEY,
                next_slot timestamptz NOT NULL);
            """, connection, transaction))
            await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Volatile.Write(ref _created, 1);
    }

    /// <summary>Sends <paramref name="payload"/> (at most 8000 bytes) on <see cref="Channel"/>.</summary>
    public async Task NotifyAsync(string payload, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("SELECT pg_notify(@channel, @payload)");
        command.Parameters.AddWithValue("channel", Channel);
        command.Parameters.AddWithValue("payload", payload);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
