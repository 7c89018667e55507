namespace KmsDashboard.Core.Security;

/// <summary>The <c>Safety</c> section. <see cref="ReadOnly"/> makes Core refuse every write, whoever asks.</summary>
public sealed class SafetyOptions
{
    public const string Section = "Safety";

    public bool ReadOnly { get; set; }
}
