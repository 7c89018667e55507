using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Rotation.NewKeySet.Steps;
using KmsDashboard.Core.Runbooks;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Rotation.NewKeySet;

/// <summary>
/// "New key set", the set-up operators do by hand, as a resumable runbook: the primary, its replicas, one alias in every
/// Region, required tags, a least-privilege key policy shown before it is used, and rotation on. Each step is planned,
/// confirmed, journaled and idempotent.
/// </summary>
public sealed class NewKeySetDefinition(IOptions<NewKeySetOptions> options) : RunbookDefinition
{
    public override string Kind => NewKeySetInputs.KindName;
    public override string Title => "New key set";
    public override Type InputsType => typeof(NewKeySetInputs);
    public override Type StateType => typeof(NewKeySetState);

    public override IReadOnlyList<RunbookStep> Steps { get; } = [new CreatePrimaryStep(), new ReplicateNewKeyStep(), new CreateAliasesStep(), new EnableRotationStep()];

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
        return problems;
    }

    public override async Task<RunbookStart> PrepareAsync(RunbookInputs inputs, StartContext context, CancellationToken cancellationToken)
    {
        if (inputs is not NewKeySetInputs input) return RunbookStart.Refused("These are not new-key-set inputs.");
        var problems = Check(input, context.Regions).ToList();
        if (problems.Count > 0) return RunbookStart.Refused([.. problems]);

        // The alias must be free in every Region: an existing one belongs to another key.
        var regions = new[] { input.PrimaryRegion }.Concat(input.ReplicaRegions).ToList();
        foreach (var region in regions)
            if ((await context.Reader.AliasesAsync(region, cancellationToken)).FirstOrDefault(x => x.Name == input.AliasName) is { Name: not null } taken)
                problems.Add($"{input.AliasName} already exists in {region} (it points at {taken.TargetKeyId}); choose another alias.");
        if (problems.Count > 0) return RunbookStart.Refused([.. problems]);

        var state = new NewKeySetState
        {
            PrimaryRegion = input.PrimaryRegion, ReplicaRegions = [.. input.ReplicaRegions], AliasName = input.AliasName,
            Description = input.Description, Tags = new(input.Tags, StringComparer.Ordinal),
            Policy = KeyPolicyTemplate.Build(input.Policy, regions), RotationPeriodDays = input.RotationPeriodDays,
        };
        return new RunbookStart([], "", $"New key set {input.AliasName} ({string.Join(", ", regions)})", state);
    }
}
