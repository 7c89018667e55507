using System.Text.Json.Nodes;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Journal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Actions;

/// <summary>
/// At start, finds actions the app stopped in the middle of (entries still InProgress that this process did not open:
/// a crash, a kill -9, a power cut), marks them Interrupted "after call N of M", and re-reads the keys to say of each
/// call not known to have finished whether it was done, not done, or cannot be told.
/// </summary>
public sealed class JournalReconciler(ActionJournal journal, AwsClients clients, ILogger<JournalReconciler> logger) : BackgroundService
{
    private readonly CallVerifier _verifier = new(new KmsReader(clients));

    /// <summary>Done once the entries found at start are reconciled (tests and the journal page wait on it).</summary>
    public Task Completed => _completed.Task;
    private readonly TaskCompletionSource<int> _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var count = await ReconcileAsync(stoppingToken);
            _completed.TrySetResult(count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _completed.TrySetCanceled(stoppingToken);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not reconcile interrupted actions in the journal");
            _completed.TrySetException(ex);
        }
    }

    /// <summary>Reconciles every interrupted entry; returns how many there were.</summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var entries = await journal.InterruptedAsync(cancellationToken);
        foreach (var entry in entries) await ReconcileAsync(entry, cancellationToken);
        return entries.Count;
    }

    private async Task ReconcileAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Outcome == ActionJournal.Running)
        {
            await ReconcileReadOnlyAsync(entry, cancellationToken);
            return;
        }
        var requests = PlannedRequests(entry.Plan);
        var finished = entry.Calls.Count(c => c.Status is not (ActionJournal.Pending or ActionJournal.Sending));
        var verdicts = new Dictionary<int, (string Verdict, string Note)>();
        foreach (var call in entry.Calls.Where(c => c.Status is ActionJournal.Pending or ActionJournal.Sending || c.Status == nameof(CallStatus.Unknown)))
        {
            verdicts[call.Step] = await _verifier.VerifyAsync(entry.KeyId, call, requests.GetValueOrDefault(call.Step) ?? [], entry.At, cancellationToken);
        }
        var checkedAt = DateTime.UtcNow;
        var summary = $"Interrupted after call {finished} of {entry.Calls.Count}: the app stopped while sending them. Checked at the next start: " +
            (verdicts.Count == 0 ? "nothing was left open." :
                string.Join("; ", entry.Calls.Where(c => verdicts.ContainsKey(c.Step))
                    .Select(c => $"call {c.Step} ({c.Operation} in {c.Region}) {Words(verdicts[c.Step].Verdict)}")) + ".");
        await journal.UpdateAsync(entry.Id, e =>
        {
            e.Outcome = nameof(ActionOutcome.Interrupted);
            e.Summary = summary;
            foreach (var call in e.Calls)
            {
                if (!verdicts.TryGetValue(call.Step, out var v)) continue;
                if (call.Status == ActionJournal.Sending) { call.Status = nameof(CallStatus.Unknown); call.Message = "In flight when the app stopped: no answer was recorded."; }
                else if (call.Status == ActionJournal.Pending) { call.Status = nameof(CallStatus.Skipped); call.Message = "Not sent: the app stopped before it."; }
                call.Verification = v.Verdict;
                call.VerificationNote = $"{v.Note} (checked {checkedAt:yyyy-MM-dd HH:mm:ss} UTC)";
            }
        }, cancellationToken);
        logger.LogWarning("Journal entry {Id} ({Action} of {KeyId} by {User}) was interrupted; reconciled: {Summary}", entry.Id, entry.Action, entry.KeyId, entry.User, summary);
    }

    /// <summary>Read-only work (a failover drill) the app stopped during: marked Interrupted, with when; nothing changed, so nothing to verify.</summary>
    private async Task ReconcileReadOnlyAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        var summary = $"Interrupted: the app stopped during this {entry.Action} (started {entry.At:yyyy-MM-dd HH:mm:ss} UTC) before it finished; " +
            $"marked at the next start, {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC. It changes no key: run it again for a result.";
        await journal.UpdateAsync(entry.Id, e =>
        {
            e.Outcome = nameof(ActionOutcome.Interrupted);
            e.Summary = summary;
        }, cancellationToken);
        logger.LogWarning("Journal entry {Id} ({Action} of {KeyId} by {User}) was interrupted: {Summary}", entry.Id, entry.Action, entry.KeyId, entry.User, summary);
    }

    private static string Words(string verdict) => verdict switch
    {
        CallVerifier.Done => "done",
        CallVerifier.NotDone => "not done",
        _ => "unknown — verify",
    };

    /// <summary>
    /// The planned calls' requests by step, from the entry's plan JSON: the request as sent (<c>Request</c>), or for
    /// entries written before it was kept, the parameter text read back (<see cref="CallVerifier.Parse"/>).
    /// </summary>
    internal static Dictionary<int, JsonObject> PlannedRequests(string plan)
    {
        var result = new Dictionary<int, JsonObject>();
        try
        {
            if (JsonNode.Parse(plan)?["Calls"] is JsonArray calls)
                foreach (var call in calls.OfType<JsonObject>())
                    if (call["Step"]?.GetValue<int>() is { } step)
                        result[step] = call["Request"] is JsonObject request ? (JsonObject)request.DeepClone()
                            : CallVerifier.Parse(call["Parameters"]?.GetValue<string>() ?? "");
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            // An unreadable plan leaves the requests empty: the calls are then "unknown".
        }
        return result;
    }
}
