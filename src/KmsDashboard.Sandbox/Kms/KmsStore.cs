using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Sandbox.Kms.Demo;

namespace KmsDashboard.Sandbox.Kms;

/// <summary>
/// Every KMS key and alias of the sandbox account, per Region, behind one lock. Work that falls due on the sandbox
/// clock (Creating/Updating ending, deletions, scheduled rotations) runs before each call, when the clock moves,
/// and periodically (<see cref="KmsTimelineWorker"/>).
/// </summary>
internal sealed class KmsStore : ISandboxResettable
{
    private readonly Dictionary<string, Dictionary<string, KmsKey>> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<string, KmsAlias>> _aliases = new(StringComparer.Ordinal);
    private readonly SandboxCallLog _log;
    private long _sequence;
    private bool _timelineDirty = true;
    private DateTimeOffset _timelineNextDue = DateTimeOffset.MinValue;

    public KmsStore(SandboxOptions options, SandboxClock clock, SandboxCallLog log)
    {
        Options = options;
        Clock = clock;
        _log = log;
        clock.Advanced += _ => RunDue();
        Seed();
    }

    public Lock Gate { get; } = new();

    /// <summary>The background traffic model's latest use of a key (Region, ARN, now), if one is plugged in.</summary>
    public Func<string, string, DateTimeOffset, (string Operation, DateTimeOffset Time)?>? ModelledLastUse { get; set; }
    public SandboxOptions Options { get; }
    public SandboxClock Clock { get; }
    public string AccountId => Options.AccountId;

    public IEnumerable<string> Regions => _keys.Keys;
    public IEnumerable<KmsKey> Keys(string region) => _keys.TryGetValue(region, out var keys) ? keys.Values : [];
    public IEnumerable<KmsKey> AllKeys => _keys.Values.SelectMany(k => k.Values);
    public IEnumerable<KmsAlias> Aliases(string region) => _aliases.TryGetValue(region, out var aliases) ? aliases.Values : [];
    public IEnumerable<KmsAlias> AliasesOf(KmsKey key) => Aliases(key.Region).Where(a => a.TargetKeyId == key.KeyId);

    public KmsKey? Find(string region, string keyId) =>
        _keys.TryGetValue(region, out var keys) && keys.TryGetValue(keyId, out var key) ? key : null;

    public KmsAlias? FindAlias(string region, string name) =>
        _aliases.TryGetValue(region, out var aliases) && aliases.TryGetValue(name, out var alias) ? alias : null;

    public string KeyArn(string region, string keyId) => $"arn:aws:kms:{region}:{AccountId}:key/{keyId}";

    /// <summary>A key of <paramref name="region"/> by id, key ARN, and (where the operation allows) alias name or alias ARN.</summary>
    public KmsKey Resolve(string region, string reference, bool allowAlias)
    {
        if (reference.StartsWith("arn:", StringComparison.Ordinal))
        {
            var parts = reference.Split(':', 6);
            if (parts.Length != 6 || parts[1] != "aws" || parts[2] != "kms" || parts[4].Length != 12)
                throw KmsErrors.InvalidArn($"Invalid arn {reference}");
            if (parts[3] != region) throw KmsErrors.NotFound($"Invalid arn {parts[3]}");
            if (parts[4] != AccountId) throw KmsErrors.NotFound($"Key '{reference}' does not exist");
            if (parts[5].StartsWith("key/", StringComparison.Ordinal))
                return Find(region, parts[5][4..]) ?? throw KmsErrors.KeyNotFound(reference);
            if (parts[5].StartsWith(AliasRules.Prefix, StringComparison.Ordinal))
                return allowAlias ? ResolveAlias(region, parts[5]) : throw KmsErrors.NotFound($"Invalid keyId {reference}");
            throw KmsErrors.InvalidArn($"Invalid arn {reference}");
        }
        if (reference.StartsWith(AliasRules.Prefix, StringComparison.Ordinal))
            return allowAlias ? ResolveAlias(region, reference) : throw KmsErrors.NotFound($"Invalid keyId {reference}");
        return Find(region, reference) ?? throw KmsErrors.KeyNotFound(KeyArn(region, reference));
    }

    private KmsKey ResolveAlias(string region, string name)
    {
        var alias = FindAlias(region, name) ?? throw KmsErrors.NotFound($"Alias {AliasRules.Arn(region, AccountId, name)} is not found.");
        return Find(region, alias.TargetKeyId) ?? throw KmsErrors.NotFound($"Alias {alias.Arn} is not found.");
    }

    public static string NewKeyId(bool multiRegion, Random? seeded = null)
    {
        var bytes = new byte[16];
        if (seeded is null) System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        else seeded.NextBytes(bytes);
        return multiRegion ? "mrk-" + Convert.ToHexStringLower(bytes) : new Guid(bytes).ToString("D");
    }

    /// <summary>Adds a key to its Region and to its family of related keys.</summary>
    public KmsKey AddKey(KeyFamily family, string region, DateTimeOffset created, string keyManager = "CUSTOMER")
    {
        var key = new KmsKey(family, region, KeyArn(region, family.KeyId), created, ++_sequence, keyManager);
        MarkChanged();
        key.Policy = DefaultKeyPolicy.For(AccountId);
        if (!_keys.TryGetValue(region, out var keys)) _keys[region] = keys = new(StringComparer.Ordinal);
        keys.Add(family.KeyId, key);
        family.Members.Add(key);
        return key;
    }

    public KmsAlias AddAlias(string region, string name, KmsKey target, DateTimeOffset created)
    {
        if (!_aliases.TryGetValue(region, out var aliases)) _aliases[region] = aliases = new(StringComparer.Ordinal);
        var alias = new KmsAlias(name, AliasRules.Arn(region, AccountId, name), target.KeyId, created);
        aliases.Add(name, alias);
        return alias;
    }

    public void RemoveAlias(string region, string name)
    {
        if (_aliases.TryGetValue(region, out var aliases)) aliases.Remove(name);
    }

    /// <summary>Runs what fell due on the sandbox clock and publishes the events it raised.</summary>
    public void RunDue()
    {
        var events = new List<SandboxCall>();
        lock (Gate) RunDueLocked(Clock.UtcNow, events);
        Publish(events);
    }

    public void Publish(IEnumerable<SandboxCall> events)
    {
        foreach (var call in events) _log.Publish(call);
    }

    /// <summary>
    /// Caller holds <see cref="Gate"/>. Scans the keys only when something may have fallen due: the clock reached the
    /// earliest due time found by the last scan, or a write (<see cref="MarkChanged"/>) may have added work. Reads, the
    /// bulk of the traffic, then cost nothing here however many keys the account holds.
    /// </summary>
    public void RunDueLocked(DateTimeOffset now, List<SandboxCall> events)
    {
        if (!_timelineDirty && now < _timelineNextDue) return;
        KmsTimeline.Run(this, now, events);
        _timelineNextDue = KmsTimeline.NextDue(this);
        _timelineDirty = false;
    }

    /// <summary>Caller holds <see cref="Gate"/>: keys, states or rotation schedules may have changed outside the timeline.</summary>
    public void MarkChanged() => _timelineDirty = true;

    /// <summary>Really deletes a key whose waiting period passed (caller holds the lock).</summary>
    public void DeleteKey(KmsKey key)
    {
        _keys[key.Region].Remove(key.KeyId);
        foreach (var alias in AliasesOf(key).ToList()) RemoveAlias(key.Region, alias.Name);
        key.Family.Members.Remove(key);
        key.Deleted = true;
    }

    public void Reset()
    {
        lock (Gate)
        {
            _keys.Clear();
            _aliases.Clear();
            _sequence = 0;
            MarkChanged();
            Seed();
        }
    }

    /// <summary>The account's seeded estate: the demo account's, the payments member account's, or none.</summary>
    private void Seed()
    {
        if (!Options.SeedDemoAccount) return;
        if (Options.AccountSeed == SandboxAccountSeed.Payments) PaymentsAccount.Seed(this, Clock.UtcNow);
        else if (Options.AccountSeed == SandboxAccountSeed.Demo) DemoAccount.Seed(this, Clock.UtcNow);
    }
}
