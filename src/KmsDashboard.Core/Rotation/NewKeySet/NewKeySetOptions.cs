namespace KmsDashboard.Core.Rotation.NewKeySet;

/// <summary>The <c>Wizards:NewKeySet</c> section: tags every new key set must carry, pre-filled in the wizard.</summary>
public sealed class NewKeySetOptions
{
    public const string Section = "Wizards:NewKeySet";

    /// <summary>Required cost-allocation tags and their suggested values (an empty value must be filled in).</summary>
    public Dictionary<string, string> RequiredTags { get; set; } = new(StringComparer.Ordinal) { ["CostCenter"] = "", ["Owner"] = "" };

    /// <summary>Services pre-filled for the <c>kms:ViaService</c> condition (none: use from anywhere the key users are).</summary>
    public List<string> ViaServices { get; set; } = [];
}
