using System.Text.RegularExpressions;
using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Sandbox.Kms.Demo;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>
/// The account's trails. The demo account has a multi-Region trail for S3 data events (no management events) and a
/// single-Region management-events trail in each demo Region, the one in ap-northeast-1 stopped three weeks ago:
/// so ap-northeast-1 holds keys whose management events no trail logs.
/// </summary>
public sealed partial class TrailCatalog
{
    public const string DataEventsTrail = "s3-object-audit";
    public const string RegionalTrail = "regional-management-events";
    public const string StoppedRegion = DemoAccount.ApNortheast1;

    private readonly SandboxOptions _options;
    private readonly SandboxClock _clock;
    private IReadOnlyList<SandboxTrail> _trails = [];

    public TrailCatalog(SandboxOptions options, SandboxClock clock)
    {
        _options = options;
        _clock = clock;
        Reset();
    }

    public string AccountId => _options.AccountId;

    public IReadOnlyList<SandboxTrail> All => Volatile.Read(ref _trails);

    /// <summary>Back to the seeded trails (none without the demo account).</summary>
    public void Reset() => Volatile.Write(ref _trails, !_options.SeedDemoAccount ? []
        : _options.AccountSeed == SandboxAccountSeed.Payments ? Payments(_clock.UtcNow, _options.AccountId)
        : _options.AccountSeed == SandboxAccountSeed.Demo ? Demo(_clock.UtcNow, _options.AccountId) : []);

    /// <summary>Replaces one trail (tests stop and start trails with it), or adds it.</summary>
    public void Put(SandboxTrail trail)
    {
        lock (_options)
        {
            var kept = All.Where(t => !(t.Name == trail.Name && t.HomeRegion == trail.HomeRegion));
            Volatile.Write(ref _trails, [.. kept, trail]);
        }
    }

    /// <summary>DescribeTrails in <paramref name="region"/>: by name (this Region's own trails) or ARN (any visible one), else all.</summary>
    public IReadOnlyList<SandboxTrail> Describe(string region, IReadOnlyList<string> namesOrArns, bool includeShadowTrails)
    {
        if (namesOrArns.Count == 0)
            return [.. All.Where(t => t.HomeRegion == region || (includeShadowTrails && t.IsMultiRegionTrail))
                .OrderBy(t => t.HomeRegion != region).ThenBy(t => t.Name, StringComparer.Ordinal)];
        var found = new List<SandboxTrail>();
        foreach (var nameOrArn in namesOrArns)
        {
            var trail = IsArn(nameOrArn)
                ? All.FirstOrDefault(t => t.Arn(AccountId) == nameOrArn && t.VisibleIn(region))
                : All.FirstOrDefault(t => t.Name == nameOrArn && t.HomeRegion == region);
            if (trail is not null && !found.Contains(trail)) found.Add(trail);
        }
        return found;
    }

    /// <summary>The trail a GetTrailStatus or GetEventSelectors names: a name for a trail homed here, an ARN for a shadow.</summary>
    public SandboxTrail Find(string region, string? nameOrArn)
    {
        if (string.IsNullOrEmpty(nameOrArn))
            throw new TrailLookupException("InvalidTrailNameException", "Trail name or ARN can not be empty.");
        string arn;
        SandboxTrail? trail;
        if (IsArn(nameOrArn))
        {
            if (!ArnPattern().IsMatch(nameOrArn))
                throw new TrailLookupException("CloudTrailARNInvalidException",
                    $"Invalid trail ARN: {nameOrArn}. The ARN must be in the format arn:aws:cloudtrail:<region>:<account>:trail/<name>.");
            arn = nameOrArn;
            trail = All.FirstOrDefault(t => t.Arn(AccountId) == nameOrArn && t.VisibleIn(region));
        }
        else
        {
            ValidateName(nameOrArn);
            arn = $"arn:aws:cloudtrail:{region}:{AccountId}:trail/{nameOrArn}";
            trail = All.FirstOrDefault(t => t.Name == nameOrArn && t.HomeRegion == region);
        }
        return trail ?? throw new TrailLookupException("TrailNotFoundException", $"Unknown trail: {arn} for the user: {AccountId}");
    }

    /// <summary>CloudTrail's trail-name rules (InvalidTrailNameException).</summary>
    public static void ValidateName(string name)
    {
        if (!NamePattern().IsMatch(name) || AdjacentSpecials().IsMatch(name) || IpAddress().IsMatch(name))
            throw new TrailLookupException("InvalidTrailNameException",
                "Trail name must be 3-128 characters of letters, numbers, periods, underscores and dashes, start and end with a letter or number, " +
                $"have no adjacent periods, underscores or dashes and not look like an IP address: '{name}'.");
    }

    private static bool IsArn(string value) => value.StartsWith("arn:", StringComparison.Ordinal);

    private static IReadOnlyList<SandboxTrail> Demo(DateTimeOffset now, string accountId)
    {
        var day = TimeSpan.FromDays(1);
        var trails = new List<SandboxTrail>
        {
            new(DataEventsTrail, DemoAccount.UsEast1, IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true,
                $"aws-cloudtrail-logs-{accountId}-data", LogFileValidationEnabled: true,
                [new TrailEventSelector("All", IncludeManagementEvents: false, [new TrailDataResource("AWS::S3::Object", ["arn:aws:s3"])])],
                IsLogging: true, Trim(now - 340 * day), null),
        };
        foreach (var region in DemoAccount.Regions)
        {
            var stopped = region == StoppedRegion;
            trails.Add(new(RegionalTrail, region, IsMultiRegionTrail: false, IncludeGlobalServiceEvents: region == DemoAccount.UsEast1,
                $"aws-cloudtrail-logs-{accountId}-{region}", LogFileValidationEnabled: true, [TrailEventSelector.AllManagementEvents],
                IsLogging: !stopped, Trim(now - 330 * day), stopped ? Trim(now - 21 * day) : null));
        }
        return trails;
    }

    /// <summary>The payments member account: one multi-Region management-events trail homed in us-east-1, logging.</summary>
    private static IReadOnlyList<SandboxTrail> Payments(DateTimeOffset now, string accountId) =>
    [
        new("payments-org-trail", DemoAccount.UsEast1, IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true,
            $"aws-cloudtrail-logs-{accountId}-payments", LogFileValidationEnabled: true, [TrailEventSelector.AllManagementEvents],
            IsLogging: true, Trim(now - TimeSpan.FromDays(300)), null),
    ];

    private static DateTimeOffset Trim(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"[._-]{2}")]
    private static partial Regex AdjacentSpecials();

    [GeneratedRegex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")]
    private static partial Regex IpAddress();

    [GeneratedRegex(@"^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:trail/[A-Za-z0-9._-]{3,128}$")]
    private static partial Regex ArnPattern();
}
