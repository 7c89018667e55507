namespace KmsDashboard.Core.Storage;

/// <summary>Where the stores live: <see cref="Sqlite"/> files in the data directory, or one <see cref="Postgres"/> database.</summary>
public enum StorageProvider
{
    Sqlite,
    Postgres,
}
