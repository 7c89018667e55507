using System.ComponentModel.DataAnnotations;

namespace KmsDashboard.Core.Storage;

/// <summary>
/// The <c>Storage</c> section: where the dashboard keeps its state (action journal, runbooks, findings, drills, sign-in
/// sessions). <see cref="Provider"/> <c>Sqlite</c> (the default) keeps one file per store in <see cref="DataDirectory"/>;
/// <c>Postgres</c> keeps every store in the database named by <see cref="ConnectionString"/>, so several instances share it.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// The data directory. A relative path is taken from the app's content root; the host makes it absolute
    /// and creates it at start. With PostgreSQL it still holds the object-scan files.
    /// </summary>
    [Required(ErrorMessage = "Storage:DataDirectory must name a directory.")]
    public string DataDirectory { get; set; } = "data";

    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>; checked at start (<see cref="StorageOptionsValidation"/>).</summary>
    public string Provider { get; set; } = nameof(StorageProvider.Sqlite);

    /// <summary>The PostgreSQL connection string (Npgsql syntax); required with <c>Provider=Postgres</c>, refused otherwise.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The provider named by <see cref="Provider"/> (case-insensitive); throws when it names none.</summary>
    public StorageProvider ProviderKind =>
        Enum.TryParse<StorageProvider>(Provider?.Trim(), ignoreCase: true, out var kind) && Enum.IsDefined(kind)
            ? kind
            : throw new InvalidOperationException(StorageOptionsValidation.UnknownProvider(Provider));
}
