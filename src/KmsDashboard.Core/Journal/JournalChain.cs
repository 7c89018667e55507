using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KmsDashboard.Core.Journal;

/// <summary>
/// The journal's hash chain. Each entry's <see cref="JournalEntry.Hash"/> covers the previous entry's hash and what the
/// entry opened with (who, when, what, inputs, plan), so removing, inserting or editing an entry breaks every link
/// after it; its <see cref="JournalEntry.Seal"/> covers that hash plus the outcome, summary and calls as last written.
/// Without an outside anchor, cutting the newest entries off the end is not detectable: note the head hash.
/// </summary>
public static class JournalChain
{
    public static string OpeningHash(JournalEntry e) => Sha256(e.PreviousHash, "entry",
        e.At.ToString("yyyy-MM-ddTHH:mm:ss.fffffff", CultureInfo.InvariantCulture),
        e.UserId, e.User, e.Roles, e.Action, e.KeyId, e.Region, e.Inputs, e.Plan);

    public static string Seal(JournalEntry e)
    {
        var parts = new List<string?> { e.Hash, "seal", e.Outcome, e.Summary };
        foreach (var c in e.Calls.OrderBy(c => c.Step))
            parts.AddRange([c.Step.ToString(CultureInfo.InvariantCulture), c.Region, c.Operation, c.Status, c.Message, c.RequestId, c.Verification, c.VerificationNote]);
        return Sha256([.. parts]);
    }

    private static string Sha256(params string?[] parts)
    {
        // Length-prefixed, so no two different field lists hash the same text.
        var text = new StringBuilder();
        foreach (var part in parts)
            text.Append(part is null ? "-1" : part.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(part).Append('|');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Checks entries given in id order.</summary>
    internal sealed class Walk
    {
        private string _previous = "";
        private int _checked, _unchained;
        private long? _brokenAt;
        private string? _reason;

        public void Add(JournalEntry e)
        {
            if (_brokenAt is not null) { _checked++; return; }
            if (e.Hash.Length == 0)
            {
                // Entries written before the chain existed come first; an unhashed entry after a hashed one was put there.
                if (_previous.Length > 0) Break(e.Id, "it carries no hash, yet entries before it do (inserted outside the dashboard?)");
                else _unchained++;
                return;
            }
            _checked++;
            if (!string.Equals(e.PreviousHash, _previous, StringComparison.Ordinal))
                Break(e.Id, "its link to the entry before does not match (an entry before it was removed, added or changed)");
            else if (!string.Equals(OpeningHash(e), e.Hash, StringComparison.Ordinal))
                Break(e.Id, "its content no longer matches its hash (who, when, what, inputs or plan was changed)");
            else if (!string.Equals(Seal(e), e.Seal, StringComparison.Ordinal))
                Break(e.Id, "its outcome or calls no longer match its seal (changed outside the dashboard)");
            _previous = e.Hash;
        }

        private void Break(long id, string reason) => (_brokenAt, _reason) = (id, reason);

        public JournalChainReport Report() => new(_brokenAt is null, _checked, _unchained, _brokenAt, _reason, _previous);
    }
}
