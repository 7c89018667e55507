using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Aws;

/// <summary>The <c>Backend</c> section: which backend, which Regions, and an optional explicit endpoint.</summary>
public sealed partial class BackendOptions : IValidatableObject
{
    public const string Section = "Backend";

    public BackendMode Mode { get; set; } = BackendMode.Sandbox;

    /// <summary>The Regions the dashboard reads and acts in.</summary>
    [Required, MinLength(1, ErrorMessage = "Backend:Regions must list at least one Region, e.g. [\"us-east-1\"].")]
    public string[] Regions { get; set; } = [];

    /// <summary>
    /// An explicit endpoint for every client (LocalStack, moto, or the sandbox's own URL).
    /// In Sandbox mode the app fills it with the embedded sandbox's URL.
    /// </summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The Regions of the sandbox's demo account: Sandbox mode's Regions when none are configured.</summary>
    public static readonly string[] SandboxDemoRegions =
        ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1"];

    /// <summary>Sandbox mode with no Regions configured reads the demo account's Regions.</summary>
    public void ApplyDefaults()
    {
        if (Mode == BackendMode.Sandbox && Regions.Length == 0) Regions = SandboxDemoRegions;
    }

    /// <summary>SDK timeouts and retries (<c>Backend:Calls:*</c>).</summary>
    public AwsCallOptions Calls { get; set; } = new();

    /// <summary>Optional named profile for the default credential chain (Aws mode).</summary>
    public string? Profile { get; set; }

    /// <summary>
    /// <c>Backend:Accounts</c>: the accounts to read, each through a role assumed there. Empty (and no
    /// <see cref="Organization"/>): one account, the credentials' own.
    /// </summary>
    public Accounts.AccountOptions[] Accounts { get; set; } = [];

    /// <summary><c>Backend:Organization</c>: discover the accounts with Organizations ListAccounts instead of listing them.</summary>
    public Accounts.OrganizationOptions? Organization { get; set; }

    /// <summary>
    /// Sandbox mode with no <see cref="Accounts"/> and no <see cref="Organization"/>: read the embedded sandbox's two demo
    /// accounts (demo-security and demo-payments) through their role "KmsDashboard". False (the default until the
    /// runbooks, wizards, drills, dependents and audit are per account too): the one account, as before.
    /// </summary>
    public bool SandboxDemoAccounts { get; set; }

    /// <summary>The sandbox's demo accounts as <c>Backend:Accounts</c> entries (the contract the sandbox seeds them by).</summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> SandboxDemoAccountSettings { get; } =
    [
        new($"{Section}:Accounts:0:Id", "111122223333"),
        new($"{Section}:Accounts:0:Name", "demo-security"),
        new($"{Section}:Accounts:0:RoleName", "KmsDashboard"),
        new($"{Section}:Accounts:0:ExternalId", "kmsdash-demo"),
        new($"{Section}:Accounts:1:Id", "444455556666"),
        new($"{Section}:Accounts:1:Name", "demo-payments"),
        new($"{Section}:Accounts:1:RoleName", "KmsDashboard"),
        new($"{Section}:Accounts:1:ExternalId", "kmsdash-demo"),
        new($"{Section}:Accounts:1:Regions:0", "us-east-1"),
        new($"{Section}:Accounts:1:Regions:1", "eu-west-1"),
        new($"{Section}:Accounts:1:Regions:2", "ap-southeast-1"),
    ];

    /// <summary>True when accounts are listed or discovered (the multi-account set-up).</summary>
    public bool MultiAccount => Accounts.Length > 0 || Organization is not null;

    [GeneratedRegex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();

    /// <summary>True when <paramref name="region"/> has the shape of an AWS Region code (e.g. eu-west-1).</summary>
    public static bool IsRegionName(string? region) => region is not null && RegionPattern().IsMatch(region);

    /// <summary>
    /// Reads <c>Backend:Mode</c> before the host is built (to decide whether to start the sandbox), failing with a
    /// message that names the setting rather than the binder's type-conversion error.
    /// </summary>
    public static BackendMode ReadMode(IConfiguration configuration)
    {
        var value = configuration[$"{Section}:{nameof(Mode)}"];
        if (string.IsNullOrWhiteSpace(value)) return BackendMode.Sandbox;
        // Only the names: Enum.TryParse would also take numbers and comma-separated lists.
        foreach (var mode in Enum.GetValues<BackendMode>())
        {
            if (string.Equals(mode.ToString(), value.Trim(), StringComparison.OrdinalIgnoreCase)) return mode;
        }
        throw new OptionsValidationException(Section, typeof(BackendOptions),
            [$"{Section}:{nameof(Mode)} '{value}' is not a backend mode: use Sandbox or Aws."]);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Mode))
            yield return new ValidationResult($"{Section}:Mode '{Mode}' is not Sandbox or Aws.", [nameof(Mode)]);
        foreach (var region in Regions)
        {
            if (!IsRegionName(region))
                yield return new ValidationResult($"{Section}:Regions holds '{region}', which is not an AWS Region name such as us-east-1.", [nameof(Regions)]);
        }
        if (Regions.Distinct(StringComparer.Ordinal).Count() != Regions.Length)
            yield return new ValidationResult($"{Section}:Regions lists a Region twice.", [nameof(Regions)]);
        foreach (var problem in Aws.Accounts.AccountsValidation.Validate(this))
            yield return new ValidationResult(problem, [nameof(Accounts)]);
        if (ServiceUrl is { Length: > 0 } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            yield return new ValidationResult($"{Section}:ServiceUrl '{url}' is not an absolute http(s) URL such as http://localhost:4566.", [nameof(ServiceUrl)]);
    }
}
