using KmsDashboard.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace KmsDashboard.Core.Cluster;

/// <summary>
/// The cluster's own two tables in the shared PostgreSQL database: the published inventory snapshot (one row) and the
/// CloudTrail pacing (one row per pacing key). Their schema is the <see cref="ClusterDbContext"/> store's migrations,
/// applied at start; nothing else of the store is touched here.
/// </summary>
public sealed class ClusterDatabase : IAsyncDisposable
{
    /// <summary>The NOTIFY channel: snapshots published, refreshes and key re-reads asked of the leader.</summary>
    public const string Channel = "kmsdash_inventory";

    /// <summary>Serializes instances migrating at once; the key the earlier <c>CREATE TABLE IF NOT EXISTS</c> code locked too.</summary>
    private const string SchemaLock = "SELECT pg_advisory_lock(hashtext('kmsdash_cluster_schema'))";
    private const string SchemaUnlock = "SELECT pg_advisory_unlock(hashtext('kmsdash_cluster_schema'))";

    private readonly DbContextOptions<ClusterDbContext> _store;
    private readonly ILogger _logger;
    private readonly SchemaGate _schema = new();

    public ClusterDatabase(string connectionString, ILogger<ClusterDatabase>? logger = null)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
        _store = DashboardStore.UsePostgres(new DbContextOptionsBuilder<ClusterDbContext>(), connectionString, ClusterDbContext.StoreName).Options;
        _logger = logger ?? NullLogger<ClusterDatabase>.Instance;
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>A context on the cluster's store (its migrations, and the tables' model).</summary>
    public ClusterDbContext CreateStore() => new(_store);

    /// <summary>
    /// Applies the store's migrations once per process (a database whose tables an earlier version created is recorded as
    /// migrated, its rows kept). Instances starting together take turns on a session advisory lock.
    /// </summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => _schema.EnsureAsync(async ct =>
    {
        await using var connection = await DataSource.OpenConnectionAsync(ct);
        await using (var take = new NpgsqlCommand(SchemaLock, connection)) await take.ExecuteNonQueryAsync(ct);
        try
        {
            await using var db = CreateStore();
            await DashboardStoreSchema.MigrateAsync(db, "cluster_inventory_snapshot", _logger, ct);
        }
        finally
        {
            await using var release = new NpgsqlCommand(SchemaUnlock, connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }, cancellationToken);

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
