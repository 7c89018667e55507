using Microsoft.Extensions.Hosting;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>Creates the recorder when the sandbox starts, so no call goes unrecorded before the first request.</summary>
internal sealed class CloudTrailRecorderStartup(CloudTrailRecorder recorder) : IHostedService
{
    public CloudTrailRecorder Recorder { get; } = recorder;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
