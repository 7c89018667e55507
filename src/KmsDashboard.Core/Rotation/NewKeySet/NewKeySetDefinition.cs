using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Dependents;
using KmsDashboard.Core.Rotation.NewKeySet.Steps;
using KmsDashboard.Core.Runbooks;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Rotation.NewKeySet;

/// <summary>
/// "New key set", the set-up operators do by hand, as a resumable runbook: the primary, its replicas, one alias in every
/// Region, required tags, a least-privilege key policy shown before it is used, rotation on, and the chosen buckets'
/// default encryption moved onto the alias. Each step is planned, confirmed, journaled and idempotent.
/// </summary>
public sealed class NewKeySetDefinition(IOptions<NewKeySetOptions> options, BucketCatalog? buckets = null) : RunbookDefinition
{
    public override string Kind => NewKeySetInputs.KindName;
    public override string Title => "New key set";
    public override Type InputsType => typeof(NewKeySetInputs);
    public override Type StateType => typeof(NewKeySetState);

    public override IReadOnlyList<RunbookStep> Steps { get; } =
        [new CreatePrimaryStep(), new ReplicateNewKeyStep(), new CreateAliasesStep(), new EnableRotationStep(), new BucketEncryptionStep()];

    /// <summary>
    /// The account's buckets for the wizard's picker (from the shared catalog, read when older than its cache time), each
    /// selectable only in <paramref name="regions"/>; or why there are none to offer.
    /// </summary>
    /// <param name="catalog">The catalog of the account the key set is made in (null: the dashboard's own).</param>
    public async Task<(IReadOnlyList<BucketChoice> Buckets, string? Problem)> BucketChoicesAsync(IReadOnlyCollection<string> regions, CancellationToken cancellationToken,
        AccountBucketCatalog? catalog = null)
    {
        catalog ??= buckets?.Of("");
        if (catalog is null) return ([], "The bucket catalog is not configured in this dashboard.");
        var snapshot = await catalog.GetAsync(refresh: false, cancellationToken);
        if (snapshot.ReadAt is null) return ([], $"The account's buckets could not be listed: {snapshot.Error ?? "unknown error"}.");
        return (BucketChoices.From(snapshot, regions), snapshot.Error is { } e ? $"The bucket list is from {snapshot.ReadAt:u}; listing again failed ({e})." : null);
    }

    /// <summary>Every input problem, before any AWS call (also what the wizard page shows while the operator types).</summary>
    public IReadOnlyList<string> Check(NewKeySetInputs input, IReadOnlyCollection<string> configuredRegions)
    {
        var problems = new List<string>();
        if (KeyInputRules.CheckRegion(input.PrimaryRegion, configuredRegions) is { } p) problems.Add($"Primary Region: {p}");
        foreach (var r in input.ReplicaRegions)
            if (KeyInputRules.CheckRegion(r, configuredRegions) is { } rp) problems.Add($"Replica Region: {rp}");
        if (input.ReplicaRegions.Contains(input.PrimaryRegion)) problems.Add($"{input.PrimaryRegion} holds the primary; it cannot also hold a replica.");
        if (input.ReplicaRegions.Distinct(StringComparer.Ordinal).Count() != input.ReplicaRegions.Count) problems.Add("A replica Region is chosen twice.");
        if (KeyInputRules.CheckAliasName(input.AliasName) is { } a) problems.Add(a);
        if (KeyInputRules.CheckDescription(input.Description) is { } d) problems.Add(d);
        if (KeyInputRules.CheckTags(input.Tags) is { } t) problems.Add(t);
        foreach (var (key, _) in options.Value.RequiredTags)
            if (!input.Tags.TryGetValue(key, out var value) || string.IsNullOrWhiteSpace(value)) problems.Add($"The tag {key} is required (Wizards:NewKeySet:RequiredTags); give it a value.");
        if (KeyInputRules.CheckRotationPeriod(input.RotationPeriodDays) is { } period) problems.Add(period);
        problems.AddRange(KeyPolicyTemplate.Check(input.Policy));
        foreach (var name in input.Buckets.GroupBy(b => b, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
            problems.Add($"The bucket {name} is chosen twice.");
        foreach (var name in input.Buckets.Where(b => string.IsNullOrWhiteSpace(b) || b.Length is < 3 or > 63))
            problems.Add($"'{name}' is not an S3 bucket name (3–63 characters).");
        return problems;
    }

    public override async Task<RunbookStart> PrepareAsync(RunbookInputs inputs, StartContext context, CancellationToken cancellationToken)
    {
        if (inputs is not NewKeySetInputs input) return RunbookStart.Refused("These are not new-key-set inputs.");
        var problems = Check(input, context.Regions).ToList();
        // The policy's root principal is the account the key lives in; another account's would lock this one out of it.
        if (context.Account is { IsDefault: false } account && input.Policy.AccountId?.Trim() != account.Id)
            problems.Add($"The key policy names account {input.Policy.AccountId}, but the key set is made in account {account.Label}.");
        if (problems.Count > 0) return RunbookStart.Refused([.. problems]);

        // The alias must be free in every Region: an existing one belongs to another key.
        var regions = new[] { input.PrimaryRegion }.Concat(input.ReplicaRegions).ToList();
        foreach (var region in regions)
            if ((await context.Reader.AliasesAsync(region, cancellationToken)).FirstOrDefault(x => x.Name == input.AliasName) is { Name: not null } taken)
                problems.Add($"{input.AliasName} already exists in {region} (it points at {taken.TargetKeyId}); choose another alias.");
        var chosen = new List<ChosenBucket>();
        if (input.Buckets.Count > 0)
        {
            var (offered, problem) = await BucketChoicesAsync(regions, cancellationToken, context.Buckets);
            if (offered.Count == 0 && problem is not null) problems.Add(problem);
            foreach (var name in input.Buckets)
            {
                var choice = offered.FirstOrDefault(c => c.Name == name);
                if (choice is null) problems.Add($"There is no bucket {name} in this account (as last listed).");
                else if (!choice.Selectable) problems.Add($"s3://{name} cannot use the new key set: {choice.Reason}");
                else chosen.Add(new ChosenBucket(name, choice.Region!));
            }
        }
        if (problems.Count > 0) return RunbookStart.Refused([.. problems]);

        var state = new NewKeySetState
        {
            PrimaryRegion = input.PrimaryRegion, ReplicaRegions = [.. input.ReplicaRegions], AliasName = input.AliasName,
            Description = input.Description, Tags = new(input.Tags, StringComparer.Ordinal),
            Policy = KeyPolicyTemplate.Build(input.Policy, regions), RotationPeriodDays = input.RotationPeriodDays, Buckets = chosen,
        };
        return new RunbookStart([], "", $"New key set {input.AliasName} ({string.Join(", ", regions)})", state);
    }
}
