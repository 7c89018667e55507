using Npgsql;

namespace KmsDashboard.Core.Tests.Cluster;

/// <summary>
/// A fresh PostgreSQL database for one test, on the server named by <c>KMSDASH_TEST_POSTGRES</c> (<c>bash .ci/postgres.sh</c>
/// prints it); dropped afterwards. Missing variable: the test is skipped, saying why, or fails when <c>CI=true</c>.
/// </summary>
internal sealed class TestPostgres : IAsyncDisposable
{
    public const string Variable = "KMSDASH_TEST_POSTGRES";

    private readonly string _server;
    private readonly string _name;

    private TestPostgres(string server, string name, string connectionString)
    {
        _server = server;
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<TestPostgres> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            var reason = $"{Variable} is not set: start PostgreSQL with `export {Variable}=\"$(bash .ci/postgres.sh)\"` to run this test.";
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail("CI=true: " + reason);
            Skip.If(true, reason);
        }
        // The role's own database may not exist: create and drop from the maintenance database.
        var admin = new NpgsqlConnectionStringBuilder(server) { Pooling = false };
        if (string.IsNullOrEmpty(admin.Database)) admin.Database = "postgres";
        server = admin.ConnectionString;
        var name = $"kmsdash_test_{Guid.NewGuid():N}"[..40];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new TestPostgres(server!, name, new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true }.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        // FORCE terminates the database's sessions; one opened by another role (autovacuum) makes it refuse (42501). The
        // throwaway database is then left to the next server start rather than failing a test that has passed.
        try { await drop.ExecuteNonQueryAsync(); }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege) { }
    }
}
