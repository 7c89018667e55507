using KmsDashboard.Core.Usage;
using Kms = Amazon.KeyManagementService.Model;
using Amazon.Runtime;

namespace KmsDashboard.Core.Actions;

public sealed partial class KeyOperations
{
    private Task PlanCoreAsync(PlanBuilder b, KeyActionRequest request, string keyId, string region, CancellationToken ct) => request switch
    {
        ReplicateKeyRequest r => PlanReplicateAsync(b, r, keyId, region, ct),
        ChangePrimaryRegionRequest r => PlanChangePrimaryAsync(b, r, keyId, region, ct),
        EnableKeyRequest => PlanEnableAsync(b, keyId, region, enable: true, ct),
        DisableKeyRequest => PlanEnableAsync(b, keyId, region, enable: false, ct),
        EnableRotationRequest r => PlanRotationAsync(b, keyId, region, r.RotationPeriodInDays, ct),
        DisableRotationRequest => PlanRotationAsync(b, keyId, region, null, ct),
        RotateNowRequest => PlanRotateNowAsync(b, keyId, region, ct),
        ScheduleDeletionRequest r => PlanScheduleDeletionAsync(b, r, keyId, region, ct),
        CancelDeletionRequest r => PlanCancelDeletionAsync(b, r, keyId, region, ct),
        CreateAliasRequest r => PlanAliasAsync(b, keyId, region, r.AliasName, KeyAction.CreateAlias, ct),
        UpdateAliasRequest r => PlanAliasAsync(b, keyId, region, r.AliasName, KeyAction.UpdateAlias, ct),
        DeleteAliasRequest r => PlanAliasAsync(b, keyId, region, r.AliasName, KeyAction.DeleteAlias, ct),
        AlignAliasRequest r => PlanAlignAliasAsync(b, r, keyId, region, ct),
        EditTagsRequest r => PlanTagsAsync(b, keyId, region, r.Tags, ct),
        EditDescriptionRequest r => PlanDescriptionAsync(b, keyId, region, r.Description, ct),
        CopyPrimaryPropertiesRequest r => PlanCopyPrimaryAsync(b, r, keyId, region, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(request), request.GetType().Name, "Unknown key action."),
    };

    /// <summary>Reads the addressed key; refuses when it is missing or AWS managed.</summary>
    private async Task<KeyFacts?> KeyAsync(PlanBuilder b, string keyId, string region, CancellationToken ct)
    {
        var key = await _reader.DescribeAsync(region, keyId, ct);
        if (key is null) b.Refuse($"There is no key {keyId} in {region}.");
        else if (key.IsAwsManaged) { b.Refuse($"{keyId} in {region} is an AWS managed key: AWS alone manages it."); return null; }
        else
        {
            b.ConfirmWith(key.KeyId);
            b.Affects(region, key.KeyId);
            b.Note($"{key.KeyId} in {region} is {key.State}{(key.IsPrimary ? ", the primary" : key.IsReplica ? $", a replica of the primary in {key.PrimaryRegion}" : "")}.");
        }
        return key;
    }

    /// <summary>The primary of a multi-Region key's set, read fresh (the key itself when it is the primary).</summary>
    private async Task<KeyFacts?> PrimaryAsync(PlanBuilder b, KeyFacts key, CancellationToken ct)
    {
        if (!key.IsMultiRegion) { b.Refuse($"{key.KeyId} is a single-Region key."); return null; }
        if (key.IsPrimary) return key;
        if (key.PrimaryRegion is null) { b.Refuse($"The primary Region of {key.KeyId} is unknown."); return null; }
        var primary = await _reader.DescribeAsync(key.PrimaryRegion, key.KeyId, ct);
        if (primary is null) b.Refuse($"The primary of {key.KeyId} in {key.PrimaryRegion} was not found.");
        else b.Affects(primary.Region, primary.KeyId);
        return primary;
    }

    /// <summary>Replicas, aliases pointing at the key, and its last use: what the action reaches.</summary>
    private async Task BlastRadiusAsync(PlanBuilder b, KeyFacts key, CancellationToken ct)
    {
        if (key.IsPrimary)
            b.Blast(key.ReplicaRegions.Count == 0 ? "No replicas." : $"{key.ReplicaRegions.Count} replica(s): {string.Join(", ", key.ReplicaRegions)}.");
        else if (key.IsReplica)
            b.Blast($"Replica of the primary in {key.PrimaryRegion}.");
        var aliases = (await _reader.AliasesAsync(key.Region, ct)).Where(a => a.TargetKeyId == key.KeyId).Select(a => a.Name).ToList();
        b.Blast(aliases.Count == 0 ? $"No alias points at it in {key.Region}." : $"Aliases in {key.Region}: {string.Join(", ", aliases)}.");
        foreach (var alias in aliases) b.ConfirmWith(alias);
        b.Blast(await _reader.LastUseAsync(key.Region, key.KeyId, b.Now, ct));
    }

    private static bool Settled(KeyFacts key) => key.State is "Enabled" or "Disabled";

    private async Task PlanReplicateAsync(PlanBuilder b, ReplicateKeyRequest r, string keyId, string region, CancellationToken ct)
    {
        if (await KeyAsync(b, keyId, region, ct) is not { } key || await PrimaryAsync(b, key, ct) is not { } primary) return;
        if (!Settled(primary)) b.Refuse($"The primary in {primary.Region} is {primary.State}; only an Enabled or Disabled primary can be replicated.");
        foreach (var target in r.TargetRegions)
        {
            if (target == primary.Region) b.Refuse($"{target} holds the primary itself.");
            // After a partial outcome (one Region's call failed or went unanswered), asking again plans only what is missing.
            else if (primary.ReplicaRegions.Contains(target)) b.Note($"{target} already holds a replica of {keyId}: nothing to do there.");
        }
        if (b.Plan.Status != PlanStatus.Ready) return;
        var missing = r.TargetRegions.Where(t => !primary.ReplicaRegions.Contains(t)).ToList();
        if (missing.Count == 0) return;
        await BlastRadiusAsync(b, primary, ct);

        var description = r.Description ?? primary.Description;
        var tags = r.Tags ?? await _reader.TagsAsync(primary.Region, keyId, ct);
        var policy = r.CopyPolicy ? await _reader.PolicyAsync(primary.Region, keyId, ct) : null;
        b.Note($"Description {(r.Description is null ? "copied from the primary" : "as given")}: \"{description}\".");
        b.Note($"Tags {(r.Tags is null ? "copied from the primary" : "as given")}: {FormatTags(tags)}.");
        b.Note(policy is null ? "Key policy: AWS's default policy." : "Key policy: copied from the primary.");
        b.Note("Each replica is Creating for a short while, then Enabled; it shares the primary's key material and rotation. Every replica costs $1 a month.");
        foreach (var target in missing)
        {
            b.Affects(target, keyId);
            b.Call(primary.Region, "ReplicateKey",
                $"KeyId={keyId}, ReplicaRegion={target}, Description=\"{description}\", Tags={FormatTags(tags)}{(policy is null ? "" : ", Policy=<primary's policy>")}",
                $"Create a replica in {target}.",
                (kms, c) => kms.ReplicateKeyAsync(new Kms.ReplicateKeyRequest
                {
                    KeyId = keyId, ReplicaRegion = target, Description = description, Policy = policy,
                    Tags = [.. tags.Select(t => new Kms.Tag { TagKey = t.Key, TagValue = t.Value })],
                }, c));
        }
    }

    private async Task PlanChangePrimaryAsync(PlanBuilder b, ChangePrimaryRegionRequest r, string keyId, string region, CancellationToken ct)
    {
        if (await KeyAsync(b, keyId, region, ct) is not { } key || await PrimaryAsync(b, key, ct) is not { } primary) return;
        var target = r.NewPrimaryRegion;
        if (target == primary.Region) { b.Refuse($"{target} already holds the primary."); return; }
        if (!primary.ReplicaRegions.Contains(target)) { b.Refuse($"{target} holds no replica of {keyId}: replicate there first."); return; }
        var replica = await _reader.DescribeAsync(target, keyId, ct);
        if (replica is null) { b.Refuse($"The replica in {target} was not found."); return; }
        if (!Settled(primary)) b.Refuse($"The primary in {primary.Region} is {primary.State}; it must be Enabled or Disabled.");
        if (!Settled(replica)) b.Refuse($"The replica in {target} is {replica.State}; it must be Enabled or Disabled.");
        if (b.Plan.Status != PlanStatus.Ready) return;
        await BlastRadiusAsync(b, primary, ct);
        await DependentsRadiusAsync(b, keyId, null, "depend on this key set (cryptography keeps working while the primary moves)", ct);
        b.Affects(target, keyId);
        b.Note($"The replica in {target} becomes the primary and the key in {primary.Region} a replica. Both show Updating until AWS is done: " +
               "cryptography keeps working, but enable, disable and replicate are refused meanwhile.");
        b.Note("Rotation is then managed in the new primary Region.");
        b.Call(primary.Region, "UpdatePrimaryRegion", $"KeyId={keyId}, PrimaryRegion={target}", $"Move the primary from {primary.Region} to {target}.",
            (kms, c) => kms.UpdatePrimaryRegionAsync(new Kms.UpdatePrimaryRegionRequest { KeyId = keyId, PrimaryRegion = target }, c));
    }

    private async Task PlanEnableAsync(PlanBuilder b, string keyId, string region, bool enable, CancellationToken ct)
    {
        if (await KeyAsync(b, keyId, region, ct) is not { } key) return;
        if (key.IsPendingDeletion) { b.Refuse($"{keyId} in {region} is {key.State}: cancel the deletion first."); return; }
        if (enable && key.State == "Enabled" || !enable && key.State == "Disabled") { b.Note($"It already is {key.State}."); return; }
        if (!Settled(key)) { b.Refuse($"{keyId} in {region} is {key.State}; wait until it is Enabled or Disabled."); return; }
        await BlastRadiusAsync(b, key, ct);
        if (!enable) await DependentsRadiusAsync(b, keyId, [region], Dependents.BlastRadius.LoseAccess, ct);
        if (enable)
        {
            b.Call(region, "EnableKey", $"KeyId={keyId}", $"Enable the key in {region}.", (kms, c) => kms.EnableKeyAsync(new Kms.EnableKeyRequest { KeyId = keyId }, c));
        }
        else
        {
            b.Note($"Every cryptographic call with this key in {region} (through its id or its aliases) fails with DisabledException until it is enabled again." +
                   (key.IsMultiRegion ? " Other Regions' keys of the set are not affected: enabled state is per Region." : ""));
            b.Call(region, "DisableKey", $"KeyId={keyId}", $"Disable the key in {region}.", (kms, c) => kms.DisableKeyAsync(new Kms.DisableKeyRequest { KeyId = keyId }, c));
        }
    }

    private async Task<KeyFacts?> RotatableAsync(PlanBuilder b, string keyId, string region, CancellationToken ct)
    {
        if (await KeyAsync(b, keyId, region, ct) is not { } key) return null;
        var primary = key.IsMultiRegion ? await PrimaryAsync(b, key, ct) : key;
        if (primary is null) return null;
        if (key.IsReplica) b.Note($"Rotation is shared by the key set and managed on the primary, in {primary.Region}.");
        if (primary.KeySpec != "SYMMETRIC_DEFAULT") b.Refuse($"Only symmetric encryption keys rotate; this key is {primary.KeySpec}.");
        else if (primary.Origin != "AWS_KMS") b.Refuse($"Keys with imported or external key material ({primary.Origin}) cannot rotate here.");
        else if (primary.State != "Enabled") b.Refuse($"The key in {primary.Region} is {primary.State}; rotation can change only on an Enabled key.");
        foreach (var replicaRegion in primary.ReplicaRegions) b.Affects(replicaRegion, keyId);
        return b.Plan.Status == PlanStatus.Ready ? primary : null;
    }

    private async Task PlanRotationAsync(PlanBuilder b, string keyId, string region, int? periodDays, CancellationToken ct)
    {
        if (await RotatableAsync(b, keyId, region, ct) is not { } primary) return;
        var (enabled, currentPeriod, next) = await _reader.RotationStatusAsync(primary.Region, keyId, ct);
        b.Note(enabled ? $"Automatic rotation is on, every {currentPeriod} days; next on {next:yyyy-MM-dd}." : "Automatic rotation is off.");
        if (periodDays is { } days)
        {
            if (enabled && currentPeriod == days) { b.Note($"It already rotates every {days} days."); return; }
            b.Note($"After this it rotates every {days} days; the next automatic rotation falls about {(enabled && next is { } n ? n : b.Now.AddDays(days)):yyyy-MM-dd}" +
                   (enabled ? " (AWS recomputes it from the last rotation)." : "."));
            b.Call(primary.Region, "EnableKeyRotation", $"KeyId={keyId}, RotationPeriodInDays={days}", $"Rotate automatically every {days} days.",
                (kms, c) => kms.EnableKeyRotationAsync(new Kms.EnableKeyRotationRequest { KeyId = keyId, RotationPeriodInDays = days }, c));
        }
        else
        {
            if (!enabled) return;
            b.Note("Existing key material is kept; the key simply stops rotating.");
            b.Call(primary.Region, "DisableKeyRotation", $"KeyId={keyId}", "Stop automatic rotation.",
                (kms, c) => kms.DisableKeyRotationAsync(new Kms.DisableKeyRotationRequest { KeyId = keyId }, c));
        }
    }

    private async Task PlanRotateNowAsync(PlanBuilder b, string keyId, string region, CancellationToken ct)
    {
        if (await RotatableAsync(b, keyId, region, ct) is not { } primary) return;
        var (rotations, used) = await _reader.RotationCountsAsync(primary.Region, keyId, ct);
        var remaining = Math.Max(0, KeyInputRules.MaxOnDemandRotations - used);
        b.Note($"{remaining} of {KeyInputRules.MaxOnDemandRotations} on-demand rotations remain{(remaining > 0 ? $" ({remaining - 1} after this one)" : "")}.");
        if (remaining == 0) { b.Refuse($"{keyId} has used all {KeyInputRules.MaxOnDemandRotations} on-demand rotations."); return; }
        var (enabled, _, next) = await _reader.RotationStatusAsync(primary.Region, keyId, ct);
        if (enabled && next is { } due && due - b.Now <= TimeSpan.FromMinutes(20))
        {
            b.Refuse($"An automatic rotation is due at {due:yyyy-MM-dd HH:mm} UTC, within 20 minutes: AWS refuses an on-demand rotation now. Try after it.");
            return;
        }
        b.Note("New key material becomes current for the whole key set; old material is kept, so existing ciphertext still decrypts. "
            + RotationCostNote(rotations, 1 + primary.ReplicaRegions.Count));
        b.Call(primary.Region, "RotateKeyOnDemand", $"KeyId={keyId}", "Rotate the key material now.",
            (kms, c) => kms.RotateKeyOnDemandAsync(new Kms.RotateKeyOnDemandRequest { KeyId = keyId }, c));
    }

    private async Task PlanScheduleDeletionAsync(PlanBuilder b, ScheduleDeletionRequest r, string keyId, string region, CancellationToken ct)
    {
        if (await KeyAsync(b, keyId, region, ct) is not { } key) return;
        if (key.IsPendingDeletion) { b.Refuse($"{keyId} in {region} already is {key.State}{(key.DeletionDate is { } d ? $", deleted on {d:yyyy-MM-dd}" : "")}."); return; }
        if (!Settled(key)) { b.Refuse($"{keyId} in {region} is {key.State}; wait until it is Enabled or Disabled."); return; }
        await BlastRadiusAsync(b, key, ct);

        var liveReplicas = new List<string>();
        var scheduledReplicas = new List<string>();
        if (key.IsPrimary)
        {
            foreach (var replicaRegion in key.ReplicaRegions)
            {
                try
                {
                    var replica = await _reader.DescribeAsync(replicaRegion, keyId, ct);
                    if (replica is { IsPendingDeletion: false }) liveReplicas.Add(replicaRegion);
                    else if (replica is not null) scheduledReplicas.Add(replicaRegion);
                }
                catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
                {
                    liveReplicas.Add(replicaRegion);
                    b.Note($"The replica in {replicaRegion} could not be read ({Describe(ex)}); it is counted as live.");
                }
            }
        }
        b.Plan.ReplicaRegions = liveReplicas;
        foreach (var asked in r.AlsoScheduleReplicasIn)
        {
            // Already scheduled (an earlier, partial run of this action): planned again, only what is missing is sent.
            if (scheduledReplicas.Contains(asked)) b.Note($"The replica in {asked} already is pending deletion: nothing to do there.");
            else if (!liveReplicas.Contains(asked)) b.Refuse($"{asked} holds no replica of {keyId} that could be scheduled for deletion.");
        }
        if (b.Plan.Status != PlanStatus.Ready) return;
        var replicasToSchedule = r.AlsoScheduleReplicasIn.Where(liveReplicas.Contains).ToList();
        await DependentsRadiusAsync(b, keyId, [region, .. replicasToSchedule], Dependents.BlastRadius.LoseAccess, ct);

        var remaining = liveReplicas.Except(r.AlsoScheduleReplicasIn).ToList();
        var date = b.Now.AddDays(r.PendingWindowInDays);
        if (key.IsReplica)
            b.Note($"Only the replica in {region} is deleted; the primary in {key.PrimaryRegion} and the other replicas keep working.");
        if (remaining.Count > 0)
            b.Note($"This primary still has replicas in {string.Join(", ", remaining)}. AWS puts it in PendingReplicaDeletion: its {r.PendingWindowInDays}-day " +
                   "waiting period starts only when its last replica is deleted, which may never happen. Schedule the replicas too to let it complete.");
        else
            b.Note($"{keyId} in {region} becomes PendingDeletion and is deleted on about {date:yyyy-MM-dd} ({r.PendingWindowInDays} days), unless the deletion is cancelled. " +
                   "Once deleted, data encrypted under it can never be decrypted.");
        foreach (var replicaRegion in replicasToSchedule)
        {
            b.Affects(replicaRegion, keyId);
            var days = r.PendingWindowInDays;
            b.Call(replicaRegion, "ScheduleKeyDeletion", $"KeyId={keyId}, PendingWindowInDays={days}", $"Schedule the replica in {replicaRegion} for deletion.",
                (kms, c) => kms.ScheduleKeyDeletionAsync(new Kms.ScheduleKeyDeletionRequest { KeyId = keyId, PendingWindowInDays = days }, c));
        }
        // Not sent when a replica's call failed: the primary would otherwise wait in PendingReplicaDeletion behind a live replica.
        b.Call(region, "ScheduleKeyDeletion", $"KeyId={keyId}, PendingWindowInDays={r.PendingWindowInDays}", $"Schedule the key in {region} for deletion.",
            (kms, c) => kms.ScheduleKeyDeletionAsync(new Kms.ScheduleKeyDeletionRequest { KeyId = keyId, PendingWindowInDays = r.PendingWindowInDays }, c),
            dependsOnEarlierCalls: true);
    }

    private async Task PlanCancelDeletionAsync(PlanBuilder b, CancelDeletionRequest r, string keyId, string region, CancellationToken ct)
    {
        if (await KeyAsync(b, keyId, region, ct) is not { } key) return;
        if (!key.IsPendingDeletion) { b.Refuse($"{keyId} in {region} is {key.State}, not pending deletion."); return; }
        b.Note(r.ReEnable
            ? "Cancelling leaves the key Disabled; it is then enabled again."
            : "Cancelling leaves the key Disabled: it stays unusable until it is enabled.");
        b.Call(region, "CancelKeyDeletion", $"KeyId={keyId}", $"Cancel the deletion in {region}.",
            (kms, c) => kms.CancelKeyDeletionAsync(new Kms.CancelKeyDeletionRequest { KeyId = keyId }, c));
        if (r.ReEnable)
            b.Call(region, "EnableKey", $"KeyId={keyId}", $"Enable the key again in {region}.",
                (kms, c) => kms.EnableKeyAsync(new Kms.EnableKeyRequest { KeyId = keyId }, c), dependsOnPreviousInRegion: true);
    }

    private async Task PlanAliasAsync(PlanBuilder b, string keyId, string region, string aliasName, KeyAction action, CancellationToken ct)
    {
        if (await KeyAsync(b, keyId, region, ct) is not { } key) return;
        if (key.IsPendingDeletion && action != KeyAction.DeleteAlias) { b.Refuse($"{keyId} in {region} is {key.State}: aliases cannot point at it."); return; }
        var existing = (await _reader.AliasesAsync(region, ct)).FirstOrDefault(a => a.Name == aliasName);
        var exists = existing.Name is not null;
        switch (action)
        {
            case KeyAction.CreateAlias:
                if (exists) { b.Refuse($"{aliasName} already exists in {region} and points at {existing.TargetKeyId ?? "no key"}; re-point it instead."); return; }
                b.Call(region, "CreateAlias", $"AliasName={aliasName}, TargetKeyId={keyId}", $"Create {aliasName} in {region}.",
                    (kms, c) => kms.CreateAliasAsync(new Kms.CreateAliasRequest { AliasName = aliasName, TargetKeyId = keyId }, c));
                break;
            case KeyAction.UpdateAlias:
                if (!exists) { b.Refuse($"{aliasName} does not exist in {region}; create it instead."); return; }
                if (existing.TargetKeyId == keyId) { b.Note($"{aliasName} already points at {keyId}."); return; }
                b.Blast($"{aliasName} now points at {existing.TargetKeyId}; whatever uses the alias in {region} will use {keyId} instead.");
                if (existing.TargetKeyId is { } previous) b.Affects(region, previous);
                b.Call(region, "UpdateAlias", $"AliasName={aliasName}, TargetKeyId={keyId}", $"Point {aliasName} at {keyId} in {region}.",
                    (kms, c) => kms.UpdateAliasAsync(new Kms.UpdateAliasRequest { AliasName = aliasName, TargetKeyId = keyId }, c));
                break;
            case KeyAction.DeleteAlias:
                if (!exists) { b.Refuse($"{aliasName} does not exist in {region}."); return; }
                if (existing.TargetKeyId != keyId) { b.Refuse($"{aliasName} points at {existing.TargetKeyId}, not at {keyId}."); return; }
                b.Blast($"Whatever uses {aliasName} in {region} fails with NotFoundException once it is gone; the key itself is untouched.");
                b.Call(region, "DeleteAlias", $"AliasName={aliasName}", $"Delete {aliasName} in {region}.",
                    (kms, c) => kms.DeleteAliasAsync(new Kms.DeleteAliasRequest { AliasName = aliasName }, c));
                break;
        }
    }

    private async Task PlanAlignAliasAsync(PlanBuilder b, AlignAliasRequest r, string keyId, string region, CancellationToken ct)
    {
        if (await KeyAsync(b, keyId, region, ct) is not { } key || await PrimaryAsync(b, key, ct) is not { } primary) return;
        var members = new[] { primary.Region }.Concat(primary.ReplicaRegions).ToList();
        var targets = r.Regions ?? members.Where(_clients.Regions.Contains).ToList();
        foreach (var target in targets)
            if (!members.Contains(target)) b.Refuse($"{target} holds no key of the set {keyId}.");
        if (b.Plan.Status != PlanStatus.Ready) return;
        b.Blast($"Key set {keyId}: primary in {primary.Region}, replicas in {(primary.ReplicaRegions.Count == 0 ? "none" : string.Join(", ", primary.ReplicaRegions))}.");
        foreach (var target in targets)
        {
            try
            {
                var member = target == key.Region ? key : await _reader.DescribeAsync(target, keyId, ct);
                if (member is null) { b.Note($"{target}: the key was not found; skipped."); continue; }
                if (member.IsPendingDeletion) { b.Note($"{target}: the key is {member.State}; skipped."); continue; }
                var existing = (await _reader.AliasesAsync(target, ct)).FirstOrDefault(a => a.Name == r.AliasName);
                b.Affects(target, keyId);
                if (existing.Name is null)
                {
                    b.Note($"{target}: {r.AliasName} is missing; it will be created.");
                    b.Call(target, "CreateAlias", $"AliasName={r.AliasName}, TargetKeyId={keyId}", $"Create {r.AliasName} in {target}.",
                        (kms, c) => kms.CreateAliasAsync(new Kms.CreateAliasRequest { AliasName = r.AliasName, TargetKeyId = keyId }, c));
                }
                else if (existing.TargetKeyId != keyId)
                {
                    b.Blast($"{target}: {r.AliasName} points at {existing.TargetKeyId}; it will point at {keyId}.");
                    if (existing.TargetKeyId is { } previous) b.Affects(target, previous);
                    b.Call(target, "UpdateAlias", $"AliasName={r.AliasName}, TargetKeyId={keyId}", $"Re-point {r.AliasName} in {target}.",
                        (kms, c) => kms.UpdateAliasAsync(new Kms.UpdateAliasRequest { AliasName = r.AliasName, TargetKeyId = keyId }, c));
                }
                else b.Note($"{target}: {r.AliasName} already points at the key.");
            }
            catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
            {
                b.Note($"{target}: could not be read ({Describe(ex)}); skipped, align again once it answers.");
            }
        }
    }

    private async Task PlanTagsAsync(PlanBuilder b, string keyId, string region, IReadOnlyDictionary<string, string> desired, CancellationToken ct)
    {
        if (await KeyAsync(b, keyId, region, ct) is not { } key) return;
        if (key.IsPendingDeletion) { b.Refuse($"{keyId} in {region} is {key.State}: its tags cannot change."); return; }
        var current = await _reader.TagsAsync(region, keyId, ct);
        b.Note($"Tags now: {FormatTags(current)}.");
        PlanTagDiff(b, region, keyId, current, desired);
        if (key.IsMultiRegion) b.Note("Tags are per Region: the other keys of the set keep theirs.");
    }

    private static void PlanTagDiff(PlanBuilder b, string region, string keyId, IReadOnlyDictionary<string, string> current, IReadOnlyDictionary<string, string> desired)
    {
        var toSet = desired.Where(t => !current.TryGetValue(t.Key, out var v) || v != t.Value).OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        var toRemove = current.Keys.Where(k => !desired.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (toSet.Count > 0)
            b.Call(region, "TagResource", $"KeyId={keyId}, Tags={FormatTags(toSet)}", $"Add or change {toSet.Count} tag(s) in {region}.",
                (kms, c) => kms.TagResourceAsync(new Kms.TagResourceRequest { KeyId = keyId, Tags = [.. toSet.Select(t => new Kms.Tag { TagKey = t.Key, TagValue = t.Value })] }, c));
        if (toRemove.Count > 0)
            b.Call(region, "UntagResource", $"KeyId={keyId}, TagKeys={string.Join(",", toRemove)}", $"Remove {toRemove.Count} tag(s) in {region}.",
                (kms, c) => kms.UntagResourceAsync(new Kms.UntagResourceRequest { KeyId = keyId, TagKeys = toRemove }, c));
        if (toSet.Count == 0 && toRemove.Count == 0) b.Note($"{region}: the tags already are as asked.");
    }

    private async Task PlanDescriptionAsync(PlanBuilder b, string keyId, string region, string description, CancellationToken ct)
    {
        if (await KeyAsync(b, keyId, region, ct) is not { } key) return;
        if (key.IsPendingDeletion) { b.Refuse($"{keyId} in {region} is {key.State}: its description cannot change."); return; }
        if (key.Description == description) { b.Note("The description already is as asked."); return; }
        b.Note($"Description now: \"{key.Description}\".");
        b.Call(region, "UpdateKeyDescription", $"KeyId={keyId}, Description=\"{description}\"", $"Set the description in {region}.",
            (kms, c) => kms.UpdateKeyDescriptionAsync(new Kms.UpdateKeyDescriptionRequest { KeyId = keyId, Description = description }, c));
    }

    private async Task PlanCopyPrimaryAsync(PlanBuilder b, CopyPrimaryPropertiesRequest r, string keyId, string region, CancellationToken ct)
    {
        if (await KeyAsync(b, keyId, region, ct) is not { } key || await PrimaryAsync(b, key, ct) is not { } primary) return;
        var targets = r.Regions ?? primary.ReplicaRegions.Where(_clients.Regions.Contains).ToList();
        foreach (var target in targets)
            if (!primary.ReplicaRegions.Contains(target)) b.Refuse($"{target} holds no replica of {keyId}.");
        if (targets.Count == 0) b.Refuse($"{keyId} has no replica to copy to.");
        if (b.Plan.Status != PlanStatus.Ready) return;
        var tags = r.CopyTags ? await _reader.TagsAsync(primary.Region, keyId, ct) : null;
        if (tags is not null) b.Note($"The primary's tags ({primary.Region}): {FormatTags(tags)}.");
        if (r.CopyDescription) b.Note($"The primary's description: \"{primary.Description}\".");
        foreach (var target in targets)
        {
            try
            {
                var replica = await _reader.DescribeAsync(target, keyId, ct);
                if (replica is null || replica.IsPendingDeletion) { b.Note($"{target}: the replica is {(replica is null ? "missing" : replica.State)}; skipped."); continue; }
                b.Affects(target, keyId);
                if (tags is not null) PlanTagDiff(b, target, keyId, await _reader.TagsAsync(target, keyId, ct), tags);
                if (r.CopyDescription && replica.Description != primary.Description)
                {
                    var description = primary.Description;
                    b.Call(target, "UpdateKeyDescription", $"KeyId={keyId}, Description=\"{description}\"", $"Copy the description to {target}.",
                        (kms, c) => kms.UpdateKeyDescriptionAsync(new Kms.UpdateKeyDescriptionRequest { KeyId = keyId, Description = description }, c));
                }
            }
            catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
            {
                b.Note($"{target}: could not be read ({Describe(ex)}); skipped, copy again once it answers.");
            }
        }
    }

    private static string FormatTags(IEnumerable<KeyValuePair<string, string>> tags)
    {
        var list = tags.Select(t => $"{t.Key}={t.Value}").ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }

    /// <summary>What one more rotation adds to the bill: $1 a month per key (and replica) for each of the first two.</summary>
    internal static string RotationCostNote(int rotationsSoFar, int billedKeys)
    {
        if (rotationsSoFar >= KmsPricing.BilledRotations)
            return $"This key already had {rotationsSoFar} rotations: further rotations add nothing to the bill.";
        var added = KmsPricing.RotationMonth * billedKeys;
        return $"This is rotation {rotationsSoFar + 1}: it adds {Usd.Short(added)} a month ({Usd.Short(KmsPricing.RotationMonth)} for each of {billedKeys} key{(billedKeys == 1 ? "" : "s")}); "
            + $"only a key's first {KmsPricing.BilledRotations} rotations are billed.";
    }
}
