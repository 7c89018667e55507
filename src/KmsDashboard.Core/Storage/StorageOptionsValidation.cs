using Microsoft.Extensions.Options;
using Npgsql;

namespace KmsDashboard.Core.Storage;

/// <summary>Checks the <c>Storage</c> section at start: a known provider, and a connection string exactly when it needs one.</summary>
public sealed class StorageOptionsValidation : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = Problems(options).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    public static IEnumerable<string> Problems(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.TryParse<StorageProvider>(options.Provider?.Trim(), ignoreCase: true, out var provider) || !Enum.IsDefined(provider))
        {
            yield return UnknownProvider(options.Provider);
            yield break;
        }
        var connection = options.ConnectionString;
        if (provider == StorageProvider.Sqlite)
        {
            if (!string.IsNullOrWhiteSpace(connection))
                yield return $"{StorageOptions.Section}:ConnectionString is set but {StorageOptions.Section}:Provider is Sqlite (the default), so it would be " +
                             $"ignored and this instance would keep its state in local files. Set {StorageOptions.Section}:Provider=Postgres to use the " +
                             "database, or remove the connection string.";
            yield break;
        }
        if (string.IsNullOrWhiteSpace(connection))
        {
            yield return $"{StorageOptions.Section}:Provider=Postgres needs {StorageOptions.Section}:ConnectionString, e.g. " +
                         "Host=db.internal;Port=5432;Database=kmsdashboard;Username=kmsdash;Password=...";
            yield break;
        }
        string? parseProblem = null;
        NpgsqlConnectionStringBuilder? parsed = null;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connection);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
        {
            parseProblem = $"{StorageOptions.Section}:ConnectionString is not a valid PostgreSQL connection string: {ex.Message}";
        }
        if (parseProblem is not null) { yield return parseProblem; yield break; }
        if (string.IsNullOrWhiteSpace(parsed!.Host))
            yield return $"{StorageOptions.Section}:ConnectionString names no Host (e.g. Host=db.internal).";
        if (string.IsNullOrWhiteSpace(parsed.Database))
            yield return $"{StorageOptions.Section}:ConnectionString names no Database (e.g. Database=kmsdashboard): every instance must use the same one.";
    }

    internal static string UnknownProvider(string? value) =>
        $"{StorageOptions.Section}:Provider is '{value}'; it must be Sqlite (files in {StorageOptions.Section}:DataDirectory, the default) or Postgres " +
        $"(with {StorageOptions.Section}:ConnectionString).";
}
