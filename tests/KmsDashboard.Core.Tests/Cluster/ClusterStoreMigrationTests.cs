using KmsDashboard.Core.Cluster;
using KmsDashboard.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace KmsDashboard.Core.Tests.Cluster;

/// <summary>
/// The cluster's tables come from <see cref="ClusterDbContext"/>'s migrations: a new database gets the schema the model
/// describes, a database whose tables an earlier version created upgrades in place with its rows, and instances
/// starting together both succeed.
/// </summary>
public sealed class ClusterStoreMigrationTests
{
    /// <summary>What versions before the migrations ran at every start (ClusterDatabase.EnsureCreatedAsync, verbatim).</summary>
    private const string EarlierSchema = """
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
        """;

    [SkippableFact]
    public async Task ADatabaseWhoseTablesAnEarlierVersionCreatedUpgradesKeepingItsRows()
    {
        await using var pg = await TestPostgres.CreateAsync();
        await ExecuteAsync(pg.ConnectionString, EarlierSchema);
        await ExecuteAsync(pg.ConnectionString, """
            INSERT INTO cluster_inventory_snapshot (id, term, generation, leader, published_at, data) VALUES (1, 7, 42, 'old-leader', now(), '\x0102');
            INSERT INTO cluster_cloudtrail_pacing (region, next_slot) VALUES ('eu-west-1', now());
            """);

        await using (var database = new ClusterDatabase(pg.ConnectionString))
        {
            await database.EnsureCreatedAsync(CancellationToken.None);
            await using var store = database.CreateStore();
            Assert.Empty(await store.Database.GetPendingMigrationsAsync());
            Assert.Equal("old-leader:7:42", await ScalarAsync(pg.ConnectionString, "SELECT leader || ':' || term || ':' || generation FROM cluster_inventory_snapshot"));
            // The tables work as before: a CloudTrail slot, a new term.
            var pacing = new PostgresCloudTrailPacing(database);
            await pacing.ReserveAsync("eu-west-1", TimeSpan.FromSeconds(5), CancellationToken.None);
            var second = await pacing.ReserveAsync("eu-west-1", TimeSpan.FromSeconds(5), CancellationToken.None);
            Assert.True(second > TimeSpan.FromSeconds(4), $"The second slot of the upgraded table came after {second}.");
            Assert.Equal("old-leader:7:42", await ScalarAsync(pg.ConnectionString, "SELECT leader || ':' || term || ':' || generation FROM cluster_inventory_snapshot"));
        }
        // The next start finds nothing to do.
        await using (var again = new ClusterDatabase(pg.ConnectionString))
            await again.EnsureCreatedAsync(CancellationToken.None);
        Assert.Equal(1L, await ScalarAsync(pg.ConnectionString, $"SELECT count(*) FROM \"{DashboardStore.HistoryTable(ClusterDbContext.StoreName)}\""));
    }

    [SkippableFact]
    public async Task MigratedUpgradedAndModelledSchemasAreTheSame()
    {
        await using var migrated = await TestPostgres.CreateAsync();
        await using var upgraded = await TestPostgres.CreateAsync();
        await using var modelled = await TestPostgres.CreateAsync();
        await using (var database = new ClusterDatabase(migrated.ConnectionString))
        {
            await database.EnsureCreatedAsync(CancellationToken.None);
            await using var store = database.CreateStore();
            Assert.False(store.Database.HasPendingModelChanges(), "ClusterDbContext's model differs from its migrations' snapshot: add a migration.");
            // The schema EF Core makes from the model itself, without the migrations' SQL.
            await ExecuteAsync(modelled.ConnectionString, store.Database.GenerateCreateScript());
        }
        await ExecuteAsync(upgraded.ConnectionString, EarlierSchema);
        await using (var database = new ClusterDatabase(upgraded.ConnectionString))
            await database.EnsureCreatedAsync(CancellationToken.None);

        var expected = await SchemaAsync(modelled.ConnectionString);
        Assert.Contains("cluster_inventory_snapshot.id integer NOT NULL", expected);
        Assert.Contains("cluster_inventory_snapshot c cluster_inventory_snapshot_id_check CHECK ((id = 1))", expected);
        Assert.Contains("cluster_cloudtrail_pacing p cluster_cloudtrail_pacing_pkey PRIMARY KEY (region)", expected);
        Assert.Equal(expected, await SchemaAsync(migrated.ConnectionString));
        Assert.Equal(expected, await SchemaAsync(upgraded.ConnectionString));
    }

    [SkippableFact]
    public async Task InstancesStartingTogetherBothMigrate()
    {
        await using var pg = await TestPostgres.CreateAsync();
        var databases = Enumerable.Range(0, 3).Select(_ => new ClusterDatabase(pg.ConnectionString)).ToList();
        try
        {
            await Task.WhenAll(databases.Select(d => Task.Run(() => d.EnsureCreatedAsync(CancellationToken.None))));
            Assert.Equal(1L, await ScalarAsync(pg.ConnectionString, $"SELECT count(*) FROM \"{DashboardStore.HistoryTable(ClusterDbContext.StoreName)}\""));
        }
        finally
        {
            foreach (var database in databases) await database.DisposeAsync();
        }
    }

    /// <summary>The cluster tables' columns and constraints, one line each, sorted.</summary>
    private static async Task<List<string>> SchemaAsync(string connectionString)
    {
        var lines = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var columns = new NpgsqlCommand("""
            SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || CASE is_nullable WHEN 'YES' THEN 'NULL' ELSE 'NOT NULL' END
                   || coalesce(' DEFAULT ' || column_default, '')
            FROM information_schema.columns WHERE table_schema = current_schema() AND table_name LIKE 'cluster\_%'
            """, connection))
        await using (var reader = await columns.ExecuteReaderAsync())
            while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        await using (var constraints = new NpgsqlCommand("""
            SELECT c.conrelid::regclass::text || ' ' || c.contype::text || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid)
            FROM pg_constraint c WHERE c.conrelid::regclass::text LIKE 'cluster\_%'
            UNION ALL
            SELECT tablename || ' index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename LIKE 'cluster\_%'
            """, connection))
        await using (var reader = await constraints.ExecuteReaderAsync())
            while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
