using KmsDashboard.Core.Dependents;

namespace KmsDashboard.Core.Actions;

/// <summary>What depends on a key, for the blast radius of a destructive plan (provided by the dependents feature).</summary>
public interface IKeyDependentsRadius
{
    /// <summary>
    /// The blast radius of the key set's keys in <paramref name="regions"/> (null: every Region) of <paramref name="account"/>
    /// ("" or null: the single account), ending with <paramref name="consequence"/>; null when it could not be read in time.
    /// </summary>
    Task<BlastRadius?> BlastRadiusAsync(string keyId, string? account, IReadOnlyCollection<string>? regions, string consequence, CancellationToken cancellationToken);
}
