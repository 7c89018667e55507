using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Drills;
using KmsDashboard.Core.Journal;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Core.Tests.Drills;

/// <summary>A failover drill the app stopped during does not stay "Running" in the journal: the next start marks it interrupted, with when.</summary>
public sealed class DrillCrashTests
{
    [Fact]
    public async Task ADrillTheAppStoppedDuringIsMarkedInterruptedAtTheNextStartAndARunningOneIsLeftAlone()
    {
        await using var h = await DrillHarness.StartAsync();
        h.Faults.Set("eu-west-1", new RegionFault(Latency: TimeSpan.FromSeconds(3)));
        var running = h.Drills.RunAsync(DrillHarness.Operator, h.KeyId, primaryDown: false, CancellationToken.None);
        var open = await JournalFiles.WaitForEntryAsync(h.Journal, h.KeyId, e => e.Outcome == ActionJournal.Running);

        // This process's own drill is under way, not interrupted.
        Assert.Equal(0, await h.Get<JournalReconciler>().ReconcileAsync(CancellationToken.None));
        var copy = JournalFiles.CopyOf(h.DataDirectory);
        await running;
        h.Faults.Clear("eu-west-1");
        var restarted = h.StartAnotherApp(copy);

        Assert.Equal(1, await restarted.GetRequiredService<JournalReconciler>().ReconcileAsync(CancellationToken.None));
        var entry = Assert.Single(await restarted.GetRequiredService<ActionJournal>().QueryAsync(new JournalQuery { KeyId = h.KeyId }, default));
        Assert.Equal((FailoverDrillService.JournalAction, "Interrupted"), (entry.Action, entry.Outcome));
        Assert.Contains($"started {open.At:yyyy-MM-dd HH:mm:ss} UTC", entry.Summary, StringComparison.Ordinal);
        Assert.Contains("marked at the next start", entry.Summary, StringComparison.Ordinal);
        Assert.True((await restarted.GetRequiredService<ActionJournal>().VerifyAsync(default)).Holds);
        Assert.Equal(0, await restarted.GetRequiredService<JournalReconciler>().ReconcileAsync(CancellationToken.None));
        // The app that finished the drill recorded its result as usual.
        Assert.NotEqual(ActionJournal.Running, (await h.Journal.FindAsync(open.Id, default))!.Outcome);
    }
}
