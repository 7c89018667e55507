using KmsDashboard.Sandbox.CloudTrail;

namespace KmsDashboard.Sandbox.Tests.CloudTrail;

public sealed class CloudTrailRateMeterTests
{
    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void TheThirdRequestInOneSecondOfARegionIsRefused()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        var meter = new CloudTrailRateMeter(time);

        Assert.True(meter.TryAcquire("us-east-1"));
        Assert.True(meter.TryAcquire("us-east-1"));
        Assert.True(meter.TryAcquire("eu-west-1"));
        Assert.False(meter.TryAcquire("us-east-1"));

        Assert.Equal(3, meter.MaxPerSecond("us-east-1"));
        Assert.Equal(1, meter.Throttled("us-east-1"));
        Assert.Equal(1, meter.MaxPerSecond("eu-west-1"));
    }

    [Fact]
    public void ANewSecondStartsANewCount()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 11, 1, 12, 0, 0, 900, TimeSpan.Zero));
        var meter = new CloudTrailRateMeter(time);
        Assert.True(meter.TryAcquire("us-east-1"));
        Assert.True(meter.TryAcquire("us-east-1"));

        time.Now = time.Now.AddMilliseconds(150);

        Assert.True(meter.TryAcquire("us-east-1"));
        Assert.True(meter.TryAcquire("us-east-1"));
        Assert.Equal(2, meter.MaxPerSecond("us-east-1"));
        Assert.Equal(0, meter.Throttled("us-east-1"));
    }
}
