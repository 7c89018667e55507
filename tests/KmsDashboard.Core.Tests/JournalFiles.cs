using KmsDashboard.Core.Journal;

namespace KmsDashboard.Core.Tests;

/// <summary>The action journal's files as a process killed now would leave them, and waiting for an entry to show.</summary>
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

    /// <summary>Waits (30 s at most) until the journal shows an entry of <paramref name="keyId"/> that satisfies <paramref name="condition"/>.</summary>
    public static async Task<JournalEntry> WaitForEntryAsync(ActionJournal journal, string keyId, Func<JournalEntry, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<JournalEntry> seen = [];
        while (DateTime.UtcNow < deadline)
        {
            seen = await journal.QueryAsync(new JournalQuery { KeyId = keyId }, default);
            if (seen.FirstOrDefault(condition) is { } entry) return entry;
            await Task.Delay(20);
        }
        throw new TimeoutException("The journal never showed the expected entry; it shows: " + string.Join(" | ", seen.Select(e => $"{e.Outcome} {e.Summary}")));
    }
}
