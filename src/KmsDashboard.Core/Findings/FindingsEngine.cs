using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Dependents;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Usage;

namespace KmsDashboard.Core.Findings;

/// <summary>
/// Evaluates every check on data already read (no AWS call): pure, so the same input gives the same findings and the
/// 10,000-key estate is judged in well under a second. Customer managed keys only; AWS managed keys are never judged.
/// </summary>
public sealed partial class FindingsEngine(FindingsOptions options)
{
    private static readonly Regex DatePrefix = DateRegex();

    public FindingsEvaluation Evaluate(FindingsInput input)
    {
        var started = Stopwatch.GetTimestamp();
        var run = new Run(options, input);
        run.Execute();
        return new FindingsEvaluation(input.Now, run.Findings, run.Notes, Stopwatch.GetElapsedTime(started));
    }

    [GeneratedRegex(@"^\s*(\d{4}-\d{2}-\d{2})")]
    private static partial Regex DateRegex();

    /// <summary>A key set or a single-Region key: the unit findings are filed under.</summary>
    private sealed record Unit(string KeyId, string Name, IReadOnlyList<RegionalKey> Members, KeySet? Set)
    {
        public RegionalKey Owner => Set?.Representative ?? Members[0];
        public bool IsSet => Set is not null;
    }

    private sealed class Run(FindingsOptions options, FindingsInput input)
    {
        public List<Finding> Findings { get; } = [];
        public List<CheckNote> Notes { get; } = [];
        private readonly Dictionary<(string Account, string Policy), KeyPolicyAnalysis> _policies = [];
        private readonly HashSet<string> _environments = new(options.Environments.Select(e => e.ToLowerInvariant()), StringComparer.Ordinal);
        private readonly InventorySnapshot _snapshot = input.Snapshot;
        private readonly DateTimeOffset _now = input.Now;
        private Dictionary<string, List<TrailCallTally>>? _trailByKey;

        public void Execute()
        {
            var units = new List<Unit>(_snapshot.KeySets.Count + _snapshot.SingleRegionKeys.Count);
            foreach (var set in _snapshot.KeySets)
                units.Add(new Unit(set.KeyId, set.DisplayName, [.. set.Members.Values.OrderBy(m => m.Region, StringComparer.Ordinal)], set));
            foreach (var key in _snapshot.SingleRegionKeys)
                units.Add(new Unit(key.KeyId, $"{key.DisplayName} ({key.Region})", [key], null));

            NoteMissingSources();
            var bucketNeeds = BucketRegionsByKey();
            var health = (input.RegionHealth ?? []).ToDictionary(r => r.Region, StringComparer.Ordinal);
            _trailByKey = input.Trail?.Tallies.GroupBy(t => t.KeyId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            var trailByKey = _trailByKey;

            foreach (var unit in units)
            {
                foreach (var key in unit.Members)
                {
                    Policy(unit, key);
                    Tagging(unit, key);
                    Documentation(unit, key);
                    Deletion(unit, key);
                    Idle(unit, key);
                    Grants(unit, key);
                }
                Rotation(unit);
                Aliases(unit);
                Environments(unit, trailByKey?.GetValueOrDefault(unit.KeyId));
                Envelope(unit);
                if (trailByKey?.GetValueOrDefault(unit.KeyId) is { } calls) TrailChecks(unit, calls);
                if (unit.Set is { } set)
                {
                    Drift(unit, set);
                    Drill(unit);
                    RegionDown(unit, health);
                    if (bucketNeeds.TryGetValue(set.KeyId, out var needs)) AbsentWhereBucketsLive(unit, set, needs);
                }
            }
            TrailCoverage();
        }

        private void Add(FindingCheck check, Unit unit, string? region, IReadOnlyList<string> evidence, FindingFix? fix = null,
            string? subject = null, FindingSeverity? severity = null, decimal? saving = null) =>
            Findings.Add(new Finding
            {
                Check = check, KeyId = unit.KeyId, KeyName = unit.Name, Region = region, Subject = subject, Evidence = evidence, Fix = fix,
                SeverityOverride = severity, MonthlySaving = saving, Account = unit.Members.Count > 0 ? unit.Owner.Account : "",
            });

        private static FindingFix Action(KeyAction action, string region, string label) => new(action, region, null, label);

        private static FindingFix Link(string link, string label) => new(null, null, link, label);

        /// <summary>A link about the unit, opening its own account when the dashboard reads several (each page takes <c>account=</c>).</summary>
        private static FindingFix Link(Unit unit, string link, string label) =>
            Link(unit.Members.Count > 0 && unit.Owner.Account is { Length: > 0 } account ? $"{link}{(link.Contains('?') ? '&' : '?')}account={account}" : link, label);

        private void NoteMissingSources()
        {
            string Why(string source, string fallback) => input.Unavailable.GetValueOrDefault(source) ?? fallback;
            if (input.Usage is null)
            {
                var reason = Why("usage", "CloudWatch usage was not read");
                Notes.Add(new(FindingChecks.Idle.Id, null, reason));
                Notes.Add(new(FindingChecks.Envelope.Id, null, reason));
            }
            else
            {
                foreach (var (region, error) in input.Usage.FailedRegions)
                {
                    Notes.Add(new(FindingChecks.Idle.Id, region, $"CloudWatch could not be read ({error})"));
                    Notes.Add(new(FindingChecks.Envelope.Id, region, $"CloudWatch could not be read ({error})"));
                }
            }
            if (input.Trail is null)
            {
                var reason = Why("trail", "CloudTrail was not read");
                foreach (var check in new[] { FindingChecks.KeyIdInCalls, FindingChecks.NoVpcEndpoint })
                    Notes.Add(new(check.Id, null, reason));
                Notes.Add(new(FindingChecks.MixedEnvironments.Id, null, $"callers' environments unknown ({reason}); tags were checked"));
            }
            else
            {
                foreach (var (region, error) in input.Trail.FailedRegions)
                    foreach (var check in new[] { FindingChecks.KeyIdInCalls, FindingChecks.NoVpcEndpoint })
                        Notes.Add(new(check.Id, region, $"CloudTrail could not be read ({error})"));
            }
            if (input.LastDrills is null)
                Notes.Add(new(FindingChecks.DrillOverdue.Id, null, Why("drills", "no failover drill history is available in this deployment")));
            if (input.TrailCoverage is null)
                Notes.Add(new(FindingChecks.NoTrail.Id, null, Why("trail-coverage", "no CloudTrail trail reader is available in this deployment")));
            if (input.Grants is null)
                Notes.Add(new(FindingChecks.UnconstrainedGrant.Id, null, Why("grants", "grants were not read")));
            else if (_snapshot.CustomerKeys.Count(k => !input.Grants.ContainsKey(k.Ref)) is > 0 and var unread)
                Notes.Add(new(FindingChecks.UnconstrainedGrant.Id, null, $"the grants of {unread} key{(unread == 1 ? "" : "s")} were not read yet (they are read on a key's Dependents tab)"));
            if (input.Buckets is not { ReadAt: not null })
                Notes.Add(new(FindingChecks.AbsentWhereBucketsLive.Id, null, Why("buckets", "the S3 bucket catalog was not read")));
            if (input.RegionHealth is null)
                Notes.Add(new(FindingChecks.ReplicaRegionDown.Id, null, "Region health is not measured"));
        }

        // ---- 2 and 4: key policies -------------------------------------------------------------------------------

        private void Policy(Unit unit, RegionalKey key)
        {
            if (key.Policy is null) return;
            var account = AccountOf(key.Arn);
            var cacheKey = (account, key.Policy);
            if (!_policies.TryGetValue(cacheKey, out var analysis)) _policies[cacheKey] = analysis = KeyPolicyAnalysis.Analyse(key.Policy, account);
            if (ReferenceEquals(analysis, KeyPolicyAnalysis.None)) return;
            var fix = Link(unit, $"/keys/{unit.KeyId}?region={key.Region}&tab=policy", "Review the key policy");
            foreach (var s in analysis.Public)
                Add(FindingChecks.PublicPolicy, unit, key.Region, [$"Statement \"{s.Sid}\" allows Principal * ({s.Actions}) with no condition."], fix, s.Sid);
            foreach (var s in analysis.KmsStar)
                Add(FindingChecks.KmsStar, unit, key.Region, [$"Statement \"{s.Sid}\" allows {s.Actions} to {s.Principal}."], fix, s.Principal);
            foreach (var s in analysis.Unconditioned)
                Add(FindingChecks.NoConditions, unit, key.Region, [$"Statement \"{s.Sid}\" allows {s.Actions} to {s.Principal} with no kms:ViaService or kms:EncryptionContext condition."], fix, s.Sid + "|" + s.Principal);
            foreach (var byAccount in analysis.CrossAccount.GroupBy(s => s.Account!, StringComparer.Ordinal))
            {
                var allowed = options.AllowedAccounts.Contains(byAccount.Key, StringComparer.Ordinal);
                var evidence = byAccount.Select(s => $"Statement \"{s.Sid}\" allows {s.Actions} to {s.Principal}.").ToList();
                evidence.Insert(0, allowed ? $"Account {byAccount.Key} is in Findings:AllowedAccounts." : $"Account {byAccount.Key} is not in Findings:AllowedAccounts.");
                Add(allowed ? FindingChecks.CrossAccountAllowed : FindingChecks.CrossAccount, unit, key.Region, evidence, fix, byAccount.Key);
            }
            if (analysis.Error is { } error) Notes.Add(new(FindingChecks.PublicPolicy.Group, key.Region, $"{unit.Name}: {error}"));
        }

        private void Grants(Unit unit, RegionalKey key)
        {
            if (input.Grants is null || !input.Grants.TryGetValue(key.Ref, out var grants)) return;
            foreach (var grant in grants.Where(g => g.EncryptionContextEquals is null && g.EncryptionContextSubset is null
                                                    && g.Operations.Any(o => o is "Encrypt" or "Decrypt" or "GenerateDataKey" or "GenerateDataKeyWithoutPlaintext" or "ReEncryptFrom" or "ReEncryptTo")))
            {
                Add(FindingChecks.UnconstrainedGrant, unit, key.Region,
                    [$"Grant {grant.Name ?? grant.GrantId} to {grant.GranteePrincipal} allows {string.Join(", ", grant.Operations)} with no encryption context constraint."],
                    Link(unit, $"/keys/{unit.KeyId}?region={key.Region}&tab=dependents", "See the grants"), grant.GrantId);
            }
        }

        // ---- 3: rotation -----------------------------------------------------------------------------------------

        private void Rotation(Unit unit)
        {
            var owner = unit.Set?.Primary ?? (unit.IsSet ? null : unit.Members[0]);
            if (owner is null || owner.IsPendingDeletion || !owner.Rotation.Applies) return;
            var rotation = owner.Rotation;
            if (!rotation.Enabled)
                Add(FindingChecks.RotationOff, unit, owner.Region, [$"Automatic rotation is off on {(unit.IsSet ? "the primary" : "the key")} in {owner.Region} ({owner.KeySpec}, {owner.Origin})."],
                    Action(KeyAction.EnableRotation, owner.Region, "Turn on rotation"));
            else if (rotation.PeriodInDays is { } period && period > options.MaxRotationPeriodDays)
                Add(FindingChecks.RotationPeriod, unit, owner.Region, [$"Rotates every {period} days; Findings:MaxRotationPeriodDays is {options.MaxRotationPeriodDays}."],
                    Action(KeyAction.EnableRotation, owner.Region, "Change the period"));

            var tagged = unit.Members.Select(m => m.Tags.GetValueOrDefault(options.IncidentTag)).FirstOrDefault(v => v is not null);
            if (string.IsNullOrWhiteSpace(options.IncidentTag) || tagged is null) return;
            var match = DatePrefix.Match(tagged);
            if (!match.Success || !DateTimeOffset.TryParseExact(match.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var incident))
            {
                Notes.Add(new(FindingChecks.IncidentRotation.Id, owner.Region, $"{unit.Name}: tag {options.IncidentTag}='{tagged}' does not start with a date (yyyy-MM-dd)"));
                return;
            }
            if (input.IncidentRotations?.GetValueOrDefault(unit.KeyId) is not { } history)
            {
                Notes.Add(new(FindingChecks.IncidentRotation.Id, owner.Region, $"{unit.Name}: {input.Unavailable.GetValueOrDefault("rotations") ?? "its rotation history was not read"}"));
                return;
            }
            var after = history.Rotations.Where(r => r.OnDemand && r.RotationDate >= incident).OrderBy(r => r.RotationDate).FirstOrDefault();
            if (after is not null) return;
            var lastOnDemand = history.Rotations.Where(r => r.OnDemand).Max(r => r.RotationDate);
            Add(FindingChecks.IncidentRotation, unit, owner.Region,
                [$"Tag {options.IncidentTag}='{tagged}': incident on {incident:yyyy-MM-dd}.",
                 lastOnDemand is { } last ? $"Last on-demand rotation {last:yyyy-MM-dd}, before the incident." : "Never rotated on demand."],
                Link(unit, $"/wizards/on-demand-rotation?key={unit.KeyId}", "Rotate now (wizard)"));
        }

        // ---- 1: aliases in every Region ------------------------------------------------------------------------

        private void Aliases(Unit unit)
        {
            if (unit.Set is not { } set || set.Members.Count < 2) return;
            var all = unit.Members.Where(m => !m.IsPendingDeletion).SelectMany(m => m.Aliases).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (all.Count == 0) return;
            foreach (var member in unit.Members.Where(m => !m.IsPendingDeletion))
            {
                var missing = all.Except(member.Aliases, StringComparer.Ordinal).ToList();
                if (missing.Count == 0) continue;
                var evidence = missing.Select(a => $"{a} exists in {string.Join(", ", unit.Members.Where(m => m.Aliases.Contains(a)).Select(m => m.Region))} but not in {member.Region}.").ToList();
                if (member.Aliases.Count == 0) evidence.Add($"The key has no alias at all in {member.Region}.");
                Add(FindingChecks.AliasMissing, unit, member.Region, evidence, Action(KeyAction.AlignAlias, member.Region, "Align the alias"));
            }
        }

        // ---- 6 and 7: tags and documentation ---------------------------------------------------------------------

        private void Tagging(Unit unit, RegionalKey key)
        {
            if (key.IsPendingDeletion) return;
            var missing = options.RequiredTags.Where(t => !key.Tags.TryGetValue(t, out var v) || string.IsNullOrWhiteSpace(v)).ToList();
            if (missing.Count > 0)
                Add(FindingChecks.MissingTags, unit, key.Region, [$"Missing tag{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)} in {key.Region}."],
                    Action(KeyAction.EditTags, key.Region, "Edit tags"));
        }

        private void Documentation(Unit unit, RegionalKey key)
        {
            if (key.IsPendingDeletion) return;
            if (string.IsNullOrWhiteSpace(key.Description))
                Add(FindingChecks.NoDescription, unit, key.Region, [$"The key in {key.Region} has an empty description."], Action(KeyAction.EditDescription, key.Region, "Edit description"));
            if (!key.Tags.TryGetValue(options.OwnerTag, out var owner) || string.IsNullOrWhiteSpace(owner))
                Add(FindingChecks.NoOwner, unit, key.Region, [$"No {options.OwnerTag} tag in {key.Region}."], Action(KeyAction.EditTags, key.Region, "Edit tags"));
        }

        // ---- 10: deletion protection ------------------------------------------------------------------------------

        private void Deletion(Unit unit, RegionalKey key)
        {
            if (!key.IsPendingDeletion) return;
            var recent = TimeSpan.FromDays(options.PendingDeletionUseDays);
            var reasons = new List<string>();
            if (key.LastUse?.Timestamp is { } used && _now - used < recent)
                reasons.Add($"GetKeyLastUsage: last {key.LastUse.Operation} at {used.UtcDateTime:yyyy-MM-dd HH:mm} UTC.");
            if (input.Usage?.ByArn.GetValueOrDefault(key.Arn)?.LastUsedDay is { } day && _now - day < recent + TimeSpan.FromDays(1))
                reasons.Add($"CloudWatch: successful requests on {day:yyyy-MM-dd}.");
            if (_trailByKey?.GetValueOrDefault(key.KeyId)?.Where(t => t.Region == key.Region).ToList() is { Count: > 0 } callers)
                reasons.AddRange(callers.Select(c => $"CloudTrail: {c.Calls} call{(c.Calls == 1 ? "" : "s")} by {c.Principal}, last at {c.LastSeen.UtcDateTime:yyyy-MM-dd HH:mm} UTC (event {c.EventIds.FirstOrDefault()})."));
            if (input.Buckets is { } catalog)
                foreach (var bucket in catalog.Buckets.Where(b => b.Region == key.Region && b.Encryption is { UsesKms: true }))
                    if (KeyNameResolver.Resolve(_snapshot, bucket.Encryption!.KmsMasterKeyId, bucket.Region!, bucket.Account) is { } match
                        && match.KeyId == key.KeyId && match.Region == key.Region && match.Account == key.Account)
                        reasons.Add($"S3: bucket {bucket.Name} encrypts new objects with it by default ({bucket.Encryption.KmsMasterKeyId}): its next upload fails once the key is gone.");
            var when = key.DeletionDate is { } date ? $"deletes on {date:yyyy-MM-dd}" : key.State == "PendingReplicaDeletion" ? "waits for its replicas' deletion" : "pending deletion";
            if (reasons.Count > 0)
            {
                reasons.Insert(0, $"{key.State} in {key.Region} ({when}).");
                Add(FindingChecks.PendingDeletionInUse, unit, key.Region, reasons, Action(KeyAction.CancelDeletion, key.Region, "Cancel deletion"));
            }
            if (key.PendingDeletionWindowInDays is { } window && window < options.MinPendingWindowDays)
                Add(FindingChecks.ShortWindow, unit, key.Region, [$"Waiting period {window} days; Findings:MinPendingWindowDays is {options.MinPendingWindowDays} ({when})."],
                    Action(KeyAction.CancelDeletion, key.Region, "Cancel deletion"));
            if (key.State == "PendingReplicaDeletion")
            {
                var replicas = unit.Members.Where(m => m.Role == MultiRegionRole.Replica).Select(m => $"{m.Region} ({m.State})").ToList();
                var listed = key.ReplicaRegions.Count > 0 ? key.ReplicaRegions : [.. unit.Members.Where(m => m.Role == MultiRegionRole.Replica).Select(m => m.Region)];
                Add(FindingChecks.StuckReplicaDeletion, unit, key.Region,
                    [$"The primary in {key.Region} is PendingReplicaDeletion: its waiting period starts when its last replica is deleted.",
                     $"Replicas remaining: {(replicas.Count > 0 ? string.Join(", ", replicas) : string.Join(", ", listed))}."],
                    Link(unit, $"/keys/{unit.KeyId}?region={key.Region}", "Open the key set"));
            }
        }

        // ---- 5b: idle keys ---------------------------------------------------------------------------------------

        private void Idle(Unit unit, RegionalKey key)
        {
            if (input.Usage is not { } usage || key.State != "Enabled"
                || usage.FailedRegions.ContainsKey(FindingsService.FailedKey(_snapshot, key.Account, key.Region))) return;
            if (key.CreationDate is { } created && _now - created < TimeSpan.FromDays(options.IdleDays)) return;
            if (key.LastUse?.Timestamp is { } used && _now - used < TimeSpan.FromDays(options.IdleDays)) return;
            var facts = usage.ByArn.GetValueOrDefault(key.Arn) ?? UsageFacts.NoUse;
            if (facts.LastUsedDay is { } day && _now - day < TimeSpan.FromDays(options.IdleDays)) return;
            Add(FindingChecks.Idle, unit, key.Region,
                [$"No successful request in CloudWatch in the last {options.IdleDays} days in {key.Region}{(facts.LastUsedDay is { } d ? $" (last {d:yyyy-MM-dd})" : "")}.",
                 $"It costs {KmsPricing.KeyMonth:$0.00} a month."],
                Link(unit, $"/wizards/retire?key={unit.KeyId}", "Retire (runbook)"), saving: KmsPricing.KeyMonth);
        }

        // ---- 9: envelope encryption --------------------------------------------------------------------------------

        private void Envelope(Unit unit)
        {
            if (input.Usage is not { } usage) return;
            var owner = unit.Owner;
            if (owner.KeyUsage != "ENCRYPT_DECRYPT" || owner.KeySpec != "SYMMETRIC_DEFAULT") return;
            double encrypt = 0, decrypt = 0, total = 0;
            foreach (var member in unit.Members)
            {
                if (usage.ByArn.GetValueOrDefault(member.Arn) is not { } facts) continue;
                encrypt += facts.Last30DaysByOperation.GetValueOrDefault("Encrypt");
                decrypt += facts.Last30DaysByOperation.GetValueOrDefault("Decrypt");
                total += facts.Last30Days;
            }
            if (total < options.EnvelopeMinMonthlyRequests) return;
            var direct = encrypt + decrypt;
            var share = direct / total;
            if (share < options.EnvelopeDirectShare) return;
            var saved = direct * (1 - 1.0 / options.EnvelopeItemsPerDataKey);
            var saving = Math.Round((decimal)saved / 10_000m * KmsPricing.Per10kRequests, 2);
            var dataKeys = total - direct;
            Add(FindingChecks.Envelope, unit, null,
                [$"Last 30 days: {total:N0} requests, {encrypt:N0} Encrypt and {decrypt:N0} Decrypt ({share:P0}), {dataKeys:N0} others (GenerateDataKey…).",
                 $"With a data key reused for {options.EnvelopeItemsPerDataKey} items, about {saved:N0} requests ({saving:$0.00}) a month fewer."],
                Link(unit, $"/keys/{unit.KeyId}?tab=usage", "See its usage"), saving: saving);
        }

        // ---- 11: environments --------------------------------------------------------------------------------------

        private void Environments(Unit unit, List<TrailCallTally>? calls)
        {
            var seen = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            void Saw(string env, string how)
            {
                if (!seen.TryGetValue(env, out var list)) seen[env] = list = [];
                if (!list.Contains(how)) list.Add(how);
            }
            foreach (var member in unit.Members)
                if (member.Tags.TryGetValue(options.EnvironmentTag, out var value))
                    foreach (var env in EnvironmentWords(value)) Saw(env, $"tagged {options.EnvironmentTag}={value} in {member.Region}");
            foreach (var call in calls ?? [])
                foreach (var env in EnvironmentWords(call.Principal[(call.Principal.LastIndexOf(':') + 1)..]))
                    Saw(env, $"used by {call.Principal} in {call.Region}");
            if (seen.Count < 2) return;
            Add(FindingChecks.MixedEnvironments, unit, null,
                [.. seen.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}: {string.Join("; ", s.Value)}.")],
                Link(unit, "/wizards/new-key-set", "Create a key set per environment"));
        }

        private IEnumerable<string> EnvironmentWords(string text) =>
            text.ToLowerInvariant().Split([',', ';', '/', ' ', '-', '_', '.', '+', '|'], StringSplitOptions.RemoveEmptyEntries)
                .Select(w => w == "production" ? "prod" : w).Where(_environments.Contains).Distinct(StringComparer.Ordinal);

        // ---- 1 and 12: CloudTrail --------------------------------------------------------------------------------

        private void TrailChecks(Unit unit, List<TrailCallTally> calls)
        {
            foreach (var call in calls.Where(c => c.NamedByKeyId > 0))
                Add(FindingChecks.KeyIdInCalls, unit, call.Region,
                    [$"{call.Principal}: {call.NamedByKeyId} of {call.Calls} calls in {call.Region} named the key as {call.ExampleName}.",
                     $"Events: {string.Join(", ", call.EventIds)}."],
                    Link(unit, $"/audit?filter=key&value={unit.KeyId}&regions={call.Region}", "See the calls"), call.Principal);
            foreach (var region in calls.GroupBy(c => c.Region, StringComparer.Ordinal))
            {
                var total = region.Sum(c => c.Calls);
                var without = region.Sum(c => c.WithoutVpcEndpoint);
                if (total == 0 || (double)without / total <= options.VpcEndpointMaxPublicShare) continue;
                Add(FindingChecks.NoVpcEndpoint, unit, region.Key,
                    [$"{without} of {total} calls in {region.Key} ({(double)without / total:P0}) came without a vpcEndpointId.",
                     .. region.Where(c => c.WithoutVpcEndpoint > 0).OrderByDescending(c => c.WithoutVpcEndpoint).Take(3).Select(c => $"{c.Principal}: {c.WithoutVpcEndpoint} of {c.Calls}.")],
                    Link(unit, $"/audit?filter=key&value={unit.KeyId}&regions={region.Key}", "See the calls"));
            }
        }

        private void TrailCoverage()
        {
            if (input.TrailCoverage is not { } coverage) return;
            // Per account (the single account's is ""): a Region counts where that account has keys.
            var withKeys = _snapshot.CustomerKeys.Select(k => (k.Account, k.Region)).ToHashSet();
            var account = new Unit("account", "Account", [], null);
            foreach (var region in coverage)
            {
                var where = region.Account.Length == 0 ? region.Region : $"{region.Region} ({_snapshot.AccountName(region.Account)})";
                if (region.Error is { } error) { Notes.Add(new(FindingChecks.NoTrail.Id, where, $"trails could not be read ({error})")); continue; }
                if (region.LogsManagementEvents || !withKeys.Contains((region.Account, region.Region))) continue;
                Findings.Add(new Finding
                {
                    Check = FindingChecks.NoTrail, KeyId = account.KeyId, Region = region.Region, Account = region.Account,
                    KeyName = region.Account.Length == 0 ? account.Name : $"Account {_snapshot.AccountLabel(region.Account)}",
                    Evidence = [$"{_snapshot.CustomerKeys.Count(k => k.Region == region.Region && k.Account == region.Account)} customer managed keys in {region.Region}; no trail logs its management events{(region.TrailName is { } name ? $" ({name} does not)" : "")}."],
                });
            }
        }

        // ---- multi-Region ----------------------------------------------------------------------------------------

        private void Drift(Unit unit, KeySet set)
        {
            foreach (var region in set.Drift.Items.Where(i => i.Property == DriftProperty.Tags).GroupBy(i => i.Region, StringComparer.Ordinal))
                Add(FindingChecks.TagDrift, unit, region.Key, [.. region.Select(i => $"{region.Key}: {i.Detail}.")],
                    Action(KeyAction.CopyPrimaryProperties, region.Key, "Copy the primary's tags"));
            foreach (var region in set.Drift.Items.Where(i => i.Property != DriftProperty.Tags && !(i.Property == DriftProperty.Aliases && i.Detail.EndsWith(" is missing", StringComparison.Ordinal)))
                         .GroupBy(i => i.Region, StringComparer.Ordinal))
            {
                var disabled = region.Any(i => i.Property == DriftProperty.Enabled) && set.Members.TryGetValue(region.Key, out var m) && !m.Enabled && m.State == "Disabled";
                Add(FindingChecks.ReplicaDrift, unit, region.Key, [.. region.Select(i => $"{region.Key}: {i.Property}: {i.Detail}.")],
                    disabled ? Action(KeyAction.EnableKey, region.Key, "Enable the replica") : Action(KeyAction.CopyPrimaryProperties, region.Key, "Copy the primary's properties"));
            }
        }

        private void Drill(Unit unit)
        {
            if (input.LastDrills is not { } drills || unit.Members.All(m => m.IsPendingDeletion) || unit.Members.Count < 2) return;
            var max = TimeSpan.FromDays(options.DrillMaxAgeDays);
            // A drill in an account among several is keyed "account/keyId"; drills stored before accounts by the key id alone.
            var account = unit.Owner.Account;
            var drilled = (account.Length > 0 && drills.TryGetValue($"{account}/{unit.KeyId}", out var last)) || drills.TryGetValue(unit.KeyId, out last);
            if (drilled && _now - last <= max) return;
            Add(FindingChecks.DrillOverdue, unit, null,
                [drilled
                    ? $"Last failover drill {last:yyyy-MM-dd} ({(int)(_now - last).TotalDays} days ago); Findings:DrillMaxAgeDays is {options.DrillMaxAgeDays}."
                    : $"Never drilled across {string.Join(", ", unit.Members.Select(m => m.Region))}."],
                Link(unit, $"/keys/{unit.KeyId}?tab=failover-drill", "Run a drill from the key page"));
        }

        private void RegionDown(Unit unit, Dictionary<string, RegionStatus> health)
        {
            foreach (var member in unit.Members)
            {
                if (!health.TryGetValue(member.Region, out var status) || status.Reachability != RegionReachability.Unreachable) continue;
                var others = unit.Members.Where(m => m.Region != member.Region && health.GetValueOrDefault(m.Region)?.Reachability != RegionReachability.Unreachable).Select(m => m.Region).ToList();
                Add(FindingChecks.ReplicaRegionDown, unit, member.Region,
                    [$"{member.Region} ({member.Role}) unreachable{(status.DownSince is { } since ? $" since {since.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "")}: {status.LastError}.",
                     others.Count > 0 ? $"Still serving: {string.Join(", ", others)}." : "No other Region of the set is reachable."],
                    Link("/regions", "Region health"));
            }
        }

        /// <summary>Per key id: the Regions its buckets live in or replicate to, with the bucket that needs each.</summary>
        private Dictionary<string, List<(string Region, string Why)>> BucketRegionsByKey()
        {
            var needs = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
            if (input.Buckets is not { } catalog) return needs;
            foreach (var bucket in catalog.Buckets.Where(b => b.Region is not null && !b.Failing))
            {
                string? keyId = null;
                if (bucket.Encryption is { UsesKms: true, KmsMasterKeyId: { } written } && KeyNameResolver.Resolve(_snapshot, written, bucket.Region!, bucket.Account) is { } match)
                {
                    keyId = match.KeyId;
                    Need(keyId, bucket.Region!, $"bucket {bucket.Name} in {bucket.Region} encrypts with it by default ({written})");
                }
                foreach (var rule in bucket.ReplicationRules.Where(r => r.Status == "Enabled"))
                {
                    var destinationBucket = catalog.Find(rule.DestinationBucket);
                    var destination = destinationBucket?.Region;
                    if (destination is null) continue;
                    var ruleKey = rule.ReplicaKmsKeyId is { } replicaKey ? KeyNameResolver.Resolve(_snapshot, replicaKey, destination, destinationBucket!.Account)?.KeyId : null;
                    if (ruleKey is not null) Need(ruleKey, destination, $"replication rule {rule.RuleId} of {bucket.Name} encrypts replicas in {rule.DestinationBucket} ({destination}) with it");
                    else if (keyId is not null) Need(keyId, destination, $"bucket {bucket.Name} ({bucket.Region}) replicates to {rule.DestinationBucket} in {destination} (rule {rule.RuleId})");
                }
            }
            return needs;

            void Need(string keyId, string region, string why)
            {
                if (!needs.TryGetValue(keyId, out var list)) needs[keyId] = list = [];
                list.Add((region, why));
            }
        }

        private void AbsentWhereBucketsLive(Unit unit, KeySet set, List<(string Region, string Why)> needs)
        {
            foreach (var region in needs.Where(n => !set.Members.ContainsKey(n.Region)).GroupBy(n => n.Region, StringComparer.Ordinal))
            {
                if (!_snapshot.Regions.Contains(region.Key) || _snapshot.StatusOf(region.Key).NeverRead) continue;
                Add(FindingChecks.AbsentWhereBucketsLive, unit, region.Key,
                    [$"The key set has keys in {string.Join(", ", set.Members.Keys.Order(StringComparer.Ordinal))}, none in {region.Key}.", .. region.Select(n => n.Why + ".").Distinct()],
                    set.Primary is { } primary ? Action(KeyAction.Replicate, primary.Region, $"Replicate to {region.Key}") : null);
            }
        }

        private static string AccountOf(string arn)
        {
            var parts = arn.Split(':', 6);
            return parts.Length > 4 ? parts[4] : "";
        }
    }
}
