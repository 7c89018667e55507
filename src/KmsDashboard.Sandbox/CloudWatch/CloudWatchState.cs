using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Sandbox.Kms;
using Microsoft.Extensions.Hosting;

namespace KmsDashboard.Sandbox.CloudWatch;

/// <summary>
/// The sandbox CloudWatch's data: metrics recorded from the call log from the moment the sandbox starts, and the demo
/// traffic generator built from the sandbox KMS's keys (when the demo account is seeded). Reset drops both and starts over.
/// </summary>
internal sealed class CloudWatchState : IHostedService, ISandboxResettable, IDisposable
{
    private readonly SandboxClock _clock;
    private readonly SandboxCallLog _log;
    private readonly KmsSandboxState _kms;
    private readonly SandboxOptions _options;
    private IDisposable? _subscription;
    private volatile CloudWatchMetrics? _metrics;

    public CloudWatchState(SandboxClock clock, SandboxCallLog log, KmsSandboxState kms, SandboxOptions options)
    {
        _clock = clock;
        _log = log;
        _kms = kms;
        _options = options;
        // Subscribe at once: calls served before the host finished starting still count.
        _subscription = _log.Subscribe(Recorded.Record);
    }

    public RecordedMetrics Recorded { get; } = new();

    public TrafficGenerator? Generator { get; private set; }

    public CloudWatchMetrics Metrics => _metrics ?? Build();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Build();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Reset()
    {
        Recorded.Clear();
        _metrics = null;
        Build();
    }

    private CloudWatchMetrics Build()
    {
        lock (Recorded)
        {
            if (_metrics is { } built) return built;
            var keys = _options.SeedDemoAccount ? _kms.ListKeys() : [];
            // A replica without its alias (aliases are per Region) is still the same application's key: use its set's alias.
            var setAliases = keys.GroupBy(k => k.KeyId).ToDictionary(g => g.Key, g => g.SelectMany(k => k.Aliases).Distinct().ToList());
            Generator = _options.SeedDemoAccount
                ? new TrafficGenerator(
                    keys.Select(k => new TrafficKey(k.Region, k.KeyId, k.Arn, k.KeyState, k.Aliases.Count > 0 ? k.Aliases : setAliases[k.KeyId], k.CreationDate, k.AwsManaged)),
                    _clock.UtcNow, () => _clock.UtcNow)
                : null;
            // GetKeyLastUsage follows the same modelled traffic as SuccessfulRequest (one world).
            var generator = Generator;
            _kms.UseModelledLastUse(generator is null ? null : generator.LastUse);
            IMetricSource[] sources = Generator is null ? [Recorded] : [Recorded, Generator];
            return _metrics = new CloudWatchMetrics(_clock, sources);
        }
    }

    public void Dispose() => Interlocked.Exchange(ref _subscription, null)?.Dispose();
}
