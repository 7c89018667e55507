using Npgsql;

namespace KmsDashboard.Core.Tests.Storage;

/// <summary>
/// A PostgreSQL database of its own for one test, on the server named by <c>KMSDASH_TEST_POSTGRES</c>
/// (<c>bash .ci/postgres.sh</c> prints it); dropped at the end. Without the variable the test is skipped, saying why,
/// and fails when <c>CI=true</c>.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    public const string Variable = "KMSDASH_TEST_POSTGRES";

    private readonly string _admin;

    private PostgresDatabase(string admin, string name, string connectionString) => (_admin, Name, ConnectionString) = (admin, name, connectionString);

    public string Name { get; }
    public string ConnectionString { get; }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            var reason = $"{Variable} is not set: run `export {Variable}=\"$(bash .ci/postgres.sh)\"` for the PostgreSQL tests.";
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(reason + " CI must provide it.");
            Skip.If(true, reason);
        }
        var name = "kmsdash_test_" + Guid.NewGuid().ToString("N")[..20];
        var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new PostgresDatabase(admin, name, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
