using System.ComponentModel.DataAnnotations;

namespace KmsDashboard.Core.Journal;

/// <summary>The <c>Storage</c> section: where the app keeps its files (the action journal's SQLite database).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>A directory, absolute or relative to the app's content root; created on first start.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "data";

    public const string JournalFileName = "journal.db";
}
