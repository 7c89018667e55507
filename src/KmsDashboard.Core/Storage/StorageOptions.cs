using System.ComponentModel.DataAnnotations;

namespace KmsDashboard.Core.Storage;

/// <summary>The <c>Storage</c> section: where the dashboard keeps its files (action journal, runbook progress).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// The data directory. A relative path is taken from the app's content root; the host makes it absolute
    /// and creates it at start.
    /// </summary>
    [Required(ErrorMessage = "Storage:DataDirectory must name a directory.")]
    public string DataDirectory { get; set; } = "data";
}
