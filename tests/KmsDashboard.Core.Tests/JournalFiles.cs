using KmsDashboard.Core.Journal;

namespace KmsDashboard.Core.Tests;

/// <summary>The action journal's files as a process killed now would leave them.</summary>
internal static class JournalFiles
{
    /// <summary>Copies the journal (SQLite in WAL mode: the database, its log and its index) from <paramref name="dataDirectory"/> into a new temp directory.</summary>
    public static string CopyOf(string dataDirectory)
    {
        var to = Path.Combine(Path.GetTempPath(), "kmsdashboard-crash-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(to);
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            var file = Path.Combine(dataDirectory, ActionJournal.FileName) + suffix;
            if (File.Exists(file)) File.Copy(file, Path.Combine(to, ActionJournal.FileName) + suffix);
        }
        return to;
    }
}
