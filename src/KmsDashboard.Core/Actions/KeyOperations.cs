using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Actions;

/// <summary>
/// The one guarded path for every key change: authorize ▸ validate ▸ plan (fresh reads, preconditions, blast radius,
/// exact calls) ▸ [the UI confirms] ▸ execute Region by Region ▸ journal ▸ refresh the affected keys.
/// </summary>
public sealed partial class KeyOperations
{
    /// <summary>A plan older than this is refused at execution: state may have moved, so plan again.</summary>
    public static readonly TimeSpan PlanLifetime = TimeSpan.FromMinutes(15);

    // Enum names rather than numbers, and no \u0022-style escapes: the journal is read by people.
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly AwsClients _clients;
    private readonly Aws.Accounts.AwsAccounts _accounts;
    private readonly KmsReader _reader;
    private readonly IAuthorizationService _authorization;
    private readonly ActionJournal _journal;
    private readonly KeyInventory _inventory;
    private readonly IOptionsMonitor<SafetyOptions> _safety;
    private readonly IOptionsMonitor<ActionExecutionOptions> _execution;
    private readonly TimeProvider _time;
    private readonly ILogger<KeyOperations> _logger;
    private readonly ConcurrentDictionary<Guid, IssuedPlan> _issued = new();
    private readonly IKeyDependentsRadius? _dependents;
    private readonly KeyActionCatalog _catalog;

    // Conflicting plans: every execution takes the next number and stamps it on the key ids it touches; a plan made
    // before a later execution on one of its keys is stale (its reads predate that change) and is refused.
    private readonly object _runGate = new();
    private readonly Dictionary<string, long> _lastRun = new(StringComparer.Ordinal);
    private long _runs;

    private sealed record IssuedPlan(ActionPlan Plan, long RunsSeen);

    public KeyOperations(AwsClients clients, IAuthorizationService authorization, ActionJournal journal, KeyInventory inventory,
        IOptionsMonitor<SafetyOptions> safety, TimeProvider time, ILogger<KeyOperations> logger, IKeyDependentsRadius? dependents = null,
        KeyActionCatalog? catalog = null, IOptionsMonitor<ActionExecutionOptions>? execution = null, Aws.Accounts.AwsAccounts? accounts = null)
    {
        _accounts = accounts ?? new Aws.Accounts.AwsAccounts(clients);
        _dependents = dependents;
        _catalog = catalog ?? KeyActionCatalog.BuiltIn;
        _clients = clients;
        _reader = new KmsReader(clients);
        _authorization = authorization;
        _journal = journal;
        _inventory = inventory;
        _safety = safety;
        _execution = execution ?? new StaticOptions<ActionExecutionOptions>(new ActionExecutionOptions());
        _time = time;
        _logger = logger;
    }

    /// <summary>Plans issued and waiting for confirmation (expired ones are dropped as new plans are made).</summary>
    public int IssuedPlanCount => _issued.Count;

    /// <summary>Forgets a plan the user walked away from (the dialog was closed without confirming).</summary>
    public void Discard(ActionPlan? plan)
    {
        if (plan is not null) _issued.TryRemove(plan.Id, out _);
    }

    /// <summary><c>Safety:ReadOnly</c>: every write is refused.</summary>
    public bool IsReadOnly => _safety.CurrentValue.ReadOnly;

    /// <summary>The Regions actions may address (the configured ones).</summary>
    public IReadOnlyList<string> Regions => _clients.Regions;

    /// <summary>
    /// The Regions actions on a key of <paramref name="account"/> may address: that account's Regions (which may differ from
    /// <c>Backend:Regions</c>), the configured ones in the single-account set-up; none for an account the dashboard does not read.
    /// </summary>
    public IReadOnlyList<string> RegionsOf(string? account) =>
        !_accounts.MultiAccount ? _clients.Regions : _accounts.Find(account) is { } found ? found.Regions : [];

    /// <summary>Every action this path plans, in the action bar's order.</summary>
    public IReadOnlyList<KeyAction> Actions => _catalog.All;

    /// <summary>
    /// <c>Safety:RequireApproval</c> (the two-person rule) and a destructive action: a plan runs only on another Admin's
    /// approval (<see cref="Approvals.ApprovalService"/>), never straight from the dialog.
    /// </summary>
    public bool NeedsApproval(KeyAction action) => _safety.CurrentValue.ApprovalRequired && KeyActionRules.IsDestructive(action);

    /// <summary>Why the plan may not run for <paramref name="who"/> under the two-person rule, or null.</summary>
    private string? ApprovalRefusal(ActionPlan plan, DashboardUser who)
    {
        if (plan.Approval is { } approval)
        {
            if (string.Equals(approval.RequestedById, who.Id, StringComparison.Ordinal))
                return $"{who.Name} requested this action and may not approve it: another Admin must (two-person rule).";
            if (!string.Equals(approval.ApprovedById, who.Id, StringComparison.Ordinal))
                return $"This approval was given by {approval.ApprovedBy}; only they run it.";
            return null;
        }
        return NeedsApproval(plan.Action)
            ? $"{plan.Title} needs a second Admin's approval ({SafetyOptions.Section}:RequireApproval): request approval, and another Admin approves and runs it."
            : null;
    }

    /// <summary>Whether the user's roles allow the action (for showing it; Core checks again when it is taken).</summary>
    public async Task<bool> IsAllowedAsync(ClaimsPrincipal user, KeyAction action) =>
        !IsReadOnly && (await _authorization.AuthorizeAsync(user, KeyActionRules.PolicyFor(action))).Succeeded;

    /// <summary>
    /// Authorizes, validates (nothing is sent on bad input), re-reads the keys concerned and works out the plan.
    /// A refusal for lack of role is journaled.
    /// </summary>
    public async Task<ActionPlan> PlanAsync(ClaimsPrincipal user, KeyActionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var who = DashboardUser.From(user);
        var plan = new ActionPlan(request, who, _time.GetUtcNow());

        if (await RefusalAsync(user, request.Action) is { } refusal)
        {
            plan.Status = PlanStatus.Forbidden;
            plan._problems.Add(refusal);
            (plan.KeyId, plan.Region) = (request.KeyId ?? "", request.Region ?? "");
            await JournalAsync(plan, who, ActionOutcome.Refused, refusal, [], cancellationToken);
            _logger.LogWarning("Refused {Action} of {KeyId} to {User}: {Reason}", request.Action, request.KeyId, who.Name, refusal);
            return plan;
        }

        EvictExpiredPlans();
        var runsSeen = Interlocked.Read(ref _runs);
        var problems = Validate(request, out var keyId, out var region, out var account);
        (plan.KeyId, plan.Region, plan.Account) = (keyId, region, account.Id);
        if (problems.Count > 0)
        {
            plan.Status = PlanStatus.Invalid;
            plan._problems.AddRange(problems);
            return plan;
        }

        var builder = new PlanBuilder(plan, _time.GetUtcNow());
        var limit = TimeSpan.FromSeconds(Math.Max(1, _execution.CurrentValue.PlanTimeoutSeconds));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await PlanCoreAsync(builder, request, keyId, region, account, timeout.Token);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            builder.Refuse($"Reading the current state failed, so nothing can be planned: {Describe(ex)}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            builder.Refuse($"Reading the current state took longer than {limit.TotalSeconds:0} s, so nothing was planned; try again.");
        }
        builder.Finish();
        if (plan.Status == PlanStatus.Ready) _issued[plan.Id] = new IssuedPlan(plan, runsSeen);
        return plan;
    }

    /// <summary>
    /// Runs a plan issued by <see cref="PlanAsync"/> to the same user, once: authorizes again, checks the typed
    /// confirmation and that no other action changed its keys since it was made, opens a journal entry (nothing is sent
    /// if that fails), sends the calls Region by Region (one failing does not stop or hide the others), records each
    /// call's outcome and request id as it comes, closes the entry, and re-reads the affected keys. Cancelling
    /// <paramref name="cancellationToken"/>, or the <c>Actions:TimeoutSeconds</c> limit, stops before the next call;
    /// a call left unanswered is "unknown — verify".
    /// </summary>
    public async Task<ActionResult> ExecuteAsync(ClaimsPrincipal user, ActionPlan plan, string? typedConfirmation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        using var activity = Telemetry.DashboardTelemetry.StartAction(plan.Action.ToString(), plan.KeyId, plan.Region);
        var who = DashboardUser.From(user);
        var refusal = await RefusalAsync(user, plan.Action);
        if (refusal is null) refusal = ApprovalRefusal(plan, who);
        if (refusal is null && !string.Equals(who.Id, plan.PlannedBy.Id, StringComparison.Ordinal))
            refusal = $"This plan was made by {plan.PlannedBy.Name} ({plan.PlannedBy.Id}); {who.Name} ({who.Id}) must plan it again.";
        if (refusal is null && !plan.CanExecute)
            refusal = plan.Status == PlanStatus.NothingToDo ? "Nothing to do: the keys already are as asked." : $"The plan cannot run: {string.Join(" ", plan.Problems)}";
        if (refusal is null && !plan.IsConfirmedBy(typedConfirmation))
            refusal = $"Type the key id ({plan.KeyId}) or one of its aliases to confirm.";
        IssuedPlan? issued = null;
        if (refusal is null && !_issued.TryRemove(plan.Id, out issued))
            refusal = "This plan was already executed, was discarded or expired, or was not issued here; plan again.";
        if (refusal is null && _time.GetUtcNow() - plan.PlannedAt > PlanLifetime)
            refusal = $"This plan is older than {PlanLifetime.TotalMinutes:0} minutes and the keys may have changed; plan again.";
        var account = _accounts.Find(plan.Account);
        if (refusal is null && account is null) refusal = $"Account {plan.Account} is no longer one of the dashboard's accounts; nothing was sent.";
        if (refusal is null) refusal = ClaimKeys(plan, issued!.RunsSeen);
        if (refusal is not null)
        {
            var id = await JournalAsync(plan, who, ActionOutcome.Refused, refusal, [], cancellationToken);
            _logger.LogWarning("Refused executing {Action} of {KeyId} for {User}: {Reason}", plan.Action, plan.KeyId, who.Name, refusal);
            return new ActionResult(ActionOutcome.Refused, refusal, [], id);
        }

        // The entry is written before the first call; without it nothing is sent.
        long entryId;
        try
        {
            entryId = await _journal.AppendAsync(Entry(plan, who, ActionOutcome.InProgress,
                $"Started: {Count(plan.Calls.Count, "call")} planned, none sent yet." + ApprovalSuffix(plan),
                plan.Calls.Select(c => new JournalCall { Step = c.Step, Region = c.Region, Operation = c.Operation, Status = ActionJournal.Pending, Message = "Not sent yet." })), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Could not open a journal entry for {Action} of {KeyId} by {User}; nothing was sent", plan.Action, plan.KeyId, who.Name);
            var message = $"The action journal could not be written ({ex.GetBaseException().Message}), so nothing was sent. Fix the journal's storage, then plan again.";
            return new ActionResult(ActionOutcome.Refused, message, [], null);
        }

        var limit = TimeSpan.FromSeconds(Math.Max(1, _execution.CurrentValue.TimeoutSeconds));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        var token = deadline.Token;
        string StopReason() => cancellationToken.IsCancellationRequested ? "the action was cancelled" : $"the action's {limit.TotalSeconds:0} s limit passed";

        var outcomes = new List<CallOutcome>();
        var failedRegions = new HashSet<string>(StringComparer.Ordinal);
        string? stopped = null;
        foreach (var call in plan.Calls)
        {
            if (stopped is null && token.IsCancellationRequested) stopped = StopReason();
            if (stopped is not null)
            {
                outcomes.Add(new CallOutcome(call.Step, call.Region, call.Operation, CallStatus.Skipped, $"Not sent: {stopped}.", null));
                continue;
            }
            if (call.DependsOnPreviousInRegion && failedRegions.Contains(call.Region))
            {
                outcomes.Add(new CallOutcome(call.Step, call.Region, call.Operation, CallStatus.Skipped, "Not sent: the previous call in this Region failed.", null));
                continue;
            }
            if (call.DependsOnEarlierCalls && outcomes.Any(o => o.Status != CallStatus.Succeeded))
            {
                outcomes.Add(new CallOutcome(call.Step, call.Region, call.Operation, CallStatus.Skipped,
                    "Not sent: an earlier call did not succeed (" + string.Join(", ", outcomes.Where(o => o.Status != CallStatus.Succeeded).Select(o => $"{o.Operation} in {o.Region}: {o.Status}")) +
                    "). Plan again once it has.", null));
                continue;
            }
            try
            {
                await _journal.UpdateAsync(entryId, e => Record(e, call.Step, ActionJournal.Sending, $"Sent to {call.Region}; waiting for AWS.", null), CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogError(ex, "Could not journal call {Step} of {Action} of {KeyId}; stopping before it", call.Step, plan.Action, plan.KeyId);
                stopped = "the action journal could not be written";
                outcomes.Add(new CallOutcome(call.Step, call.Region, call.Operation, CallStatus.Skipped, $"Not sent: {stopped}.", null));
                continue;
            }
            var outcome = await SendAsync(call, account!, who, token, cancellationToken);
            if (outcome.Status != CallStatus.Succeeded) failedRegions.Add(call.Region);
            outcomes.Add(outcome);
            _logger.LogInformation("{Operation} in {Region} for {KeyId} by {User}: {Status} {RequestId}",
                call.Operation, call.Region, plan.KeyId, who.Name, outcome.Status, outcome.RequestId);
            try
            {
                await _journal.UpdateAsync(entryId, e => Record(e, outcome.Step, outcome.Status.ToString(), outcome.Message, outcome.RequestId), CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogError(ex, "Could not journal the outcome of call {Step} of {Action} of {KeyId}; stopping", call.Step, plan.Action, plan.KeyId);
                stopped = "the action journal could not be written";
            }
        }

        var (result, summary) = Conclude(plan, outcomes, stopped is not null && token.IsCancellationRequested, stopped);
        Telemetry.DashboardTelemetry.RecordAction(plan.Action.ToString(), result.ToString());
        long? journalId = entryId;
        try
        {
            await _journal.UpdateAsync(entryId, e =>
            {
                e.Outcome = result.ToString();
                e.Summary = summary + ApprovalSuffix(plan);
                foreach (var o in outcomes) Record(e, o.Step, o.Status.ToString(), o.Message, o.RequestId);
            }, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The calls were sent; the entry stays InProgress and is reconciled at the next start.
            _logger.LogError(ex, "Could not close journal entry {Id} for {Action} of {KeyId} by {User} ({Outcome}: {Summary})", entryId, plan.Action, plan.KeyId, who.Name, result, summary);
            journalId = null;
        }

        // A cancelled or timed-out action answers at once: the keys are re-read in the background (a slow Region made it stop).
        var refreshing = RefreshAffectedAsync(plan);
        if (!token.IsCancellationRequested) await refreshing;
        return new ActionResult(result, summary, outcomes, journalId);
    }

    private async Task RefreshAffectedAsync(ActionPlan plan)
    {
        try
        {
            using var refresh = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _inventory.RefreshKeysAsync(plan.AffectedKeys, refresh.Token);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Could not refresh the inventory after {Action} of {KeyId}", plan.Action, plan.KeyId);
        }
    }

    /// <summary>Refuses a plan when another execution touched one of its keys since it was made; else stamps them.</summary>
    private string? ClaimKeys(ActionPlan plan, long runsSeen)
    {
        var keys = plan.AffectedKeys.Select(k => k.KeyId).Append(plan.KeyId).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        lock (_runGate)
        {
            foreach (var key in keys)
            {
                if (_lastRun.TryGetValue(key, out var run) && run > runsSeen)
                    return $"Another action on {key} was executed after this plan was made, so the plan may no longer hold; plan again.";
            }
            var next = Interlocked.Increment(ref _runs);
            foreach (var key in keys) _lastRun[key] = next;
            return null;
        }
    }

    private static (ActionOutcome, string) Conclude(ActionPlan plan, List<CallOutcome> outcomes, bool cancelled, string? stopped)
    {
        var succeeded = outcomes.Count(o => o.Status == CallStatus.Succeeded);
        var unknown = outcomes.Where(o => o.Status == CallStatus.Unknown).ToList();
        var notSent = outcomes.Count(o => o.Status == CallStatus.Skipped);
        var progress = $"{succeeded} of {Count(outcomes.Count, "call")} succeeded";
        if (succeeded == outcomes.Count)
            return (ActionOutcome.Succeeded, $"{plan.Title} of {plan.KeyId}: done ({Count(outcomes.Count, "call")} succeeded).");
        if (unknown.Count > 0)
            return (ActionOutcome.Unknown, $"{plan.Title} of {plan.KeyId}: {progress}; no answer for " +
                string.Join(", ", unknown.Select(o => $"{o.Operation} in {o.Region}")) +
                " — it may have taken effect: verify the key before acting again (planning again plans only what is still missing)." +
                (notSent > 0 ? $" {notSent} not sent." : ""));
        if (cancelled)
            return (ActionOutcome.Cancelled, $"{plan.Title} of {plan.KeyId} stopped: {stopped}; {progress}, {notSent} not sent.");
        var failed = outcomes.Where(o => o.Status == CallStatus.Failed).ToList();
        if (succeeded == 0)
            return (ActionOutcome.Failed, $"{plan.Title} of {plan.KeyId} failed: " + string.Join(" ", outcomes.Select(o => $"{o.Region}: {o.Message}")));
        return (ActionOutcome.PartiallySucceeded, $"{plan.Title} of {plan.KeyId}: {progress}; " +
            (failed.Count > 0 ? "failed in " + string.Join(", ", failed.Select(o => o.Region).Distinct()) + "" : "") +
            (notSent > 0 ? $"{(failed.Count > 0 ? "; " : "")}{notSent} not sent" : "") + ".");
    }

    private static void Record(JournalEntry entry, int step, string status, string message, string? requestId)
    {
        var call = entry.Calls.FirstOrDefault(c => c.Step == step);
        if (call is null) return;
        call.Status = status;
        call.Message = message;
        call.RequestId = requestId;
    }

    private async Task<string?> RefusalAsync(ClaimsPrincipal user, KeyAction action)
    {
        if (IsReadOnly) return $"The dashboard is read-only ({SafetyOptions.Section}:ReadOnly): no key can be changed.";
        var policy = KeyActionRules.PolicyFor(action);
        var authorized = await _authorization.AuthorizeAsync(user, policy);
        if (authorized.Succeeded) return null;
        if (AuthorizationRefusal.HasRoles(user, policy) && AuthorizationRefusal.StepUpReason(authorized) is { } stepUp) return stepUp;
        var who = DashboardUser.From(user);
        var needed = string.Join(" or ", DashboardPolicies.Roles[policy]);
        return user.Identity?.IsAuthenticated == true
            ? $"{who.Name} ({(who.Roles.Count == 0 ? "no dashboard role" : string.Join(", ", who.Roles))}) may not {KeyActionRules.Title(action).ToLowerInvariant()}: it needs the role {needed}."
            : $"Sign in to {KeyActionRules.Title(action).ToLowerInvariant()}: it needs the role {needed}.";
    }

    /// <summary>
    /// Sends one call with the write client (no automatic retries: a write that timed out is not blindly sent again).
    /// AWS's error answer is a failure; no answer at all — timeout, lost connection, cancelled in flight — is unknown.
    /// </summary>
    private async Task<CallOutcome> SendAsync(PlannedCall call, Aws.Accounts.AwsAccount account, DashboardUser who, CancellationToken token, CancellationToken userToken)
    {
        try
        {
            // In a member account the role is assumed in the user's name (session name and SourceIdentity), so that
            // account's CloudTrail names the person; the single account uses the dashboard's own credentials as before.
            var kms = account.IsDefault ? _clients.KmsWrites(call.Region) : _accounts.ActionClients(account, who.Name).KmsWrites(call.Region);
            var response = await call.Send(kms, token);
            return new CallOutcome(call.Step, call.Region, call.Operation, CallStatus.Succeeded, "Succeeded.", response.ResponseMetadata?.RequestId);
        }
        catch (AmazonServiceException ex) when (ex.StatusCode != 0)
        {
            return new CallOutcome(call.Step, call.Region, call.Operation, CallStatus.Failed, Describe(ex), string.IsNullOrEmpty(ex.RequestId) ? null : ex.RequestId);
        }
        catch (Exception ex) when (ex is AmazonClientException or HttpRequestException or IOException or TimeoutException or OperationCanceledException or AmazonServiceException)
        {
            var why = userToken.IsCancellationRequested ? "cancelled while waiting for AWS's answer"
                : token.IsCancellationRequested ? "the action's time limit passed while waiting for AWS's answer"
                : $"{call.Region} did not answer ({ex.GetBaseException().Message})";
            return new CallOutcome(call.Step, call.Region, call.Operation, CallStatus.Unknown,
                $"Unknown — verify: {why}. The call was sent and may have taken effect.", null);
        }
    }

    internal static string Describe(Exception ex) => ex switch
    {
        AmazonServiceException { ErrorCode: { Length: > 0 } code } s => $"{code}: {s.Message}",
        _ => ex.Message,
    };

    private JournalEntry Entry(ActionPlan plan, DashboardUser who, ActionOutcome outcome, string summary, IEnumerable<JournalCall> calls) => new()
    {
        At = _time.GetUtcNow().UtcDateTime,
        User = who.Name,
        UserId = who.Id,
        Roles = string.Join(",", who.Roles),
        Action = plan.Action.ToString(),
        KeyId = plan.KeyId,
        Region = plan.Region,
        Outcome = outcome.ToString(),
        Summary = summary,
        Inputs = JsonSerializer.Serialize(plan.Request, plan.Request.GetType(), Json),
        Plan = PlanJson(plan),
        Calls = [.. calls],
    };

    /// <summary>Journals an action that sent nothing (refused); a journal failure is logged loudly, as nothing happened.</summary>
    private async Task<long?> JournalAsync(ActionPlan plan, DashboardUser who, ActionOutcome outcome, string summary, IReadOnlyList<CallOutcome> calls, CancellationToken cancellationToken)
    {
        Telemetry.DashboardTelemetry.RecordAction(plan.Action.ToString(), outcome.ToString());
        var entry = Entry(plan, who, outcome, summary,
            calls.Select(c => new JournalCall { Step = c.Step, Region = c.Region, Operation = c.Operation, Status = c.Status.ToString(), Message = c.Message, RequestId = c.RequestId }));
        try
        {
            return await _journal.AppendAsync(entry, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not journal {Action} of {KeyId} by {User} ({Outcome}: {Summary})", entry.Action, entry.KeyId, entry.User, entry.Outcome, summary);
            return null;
        }
    }

    /// <summary>Drops plans past their lifetime, and the oldest beyond <c>Actions:MaxIssuedPlans</c>.</summary>
    private void EvictExpiredPlans()
    {
        var now = _time.GetUtcNow();
        foreach (var (id, issued) in _issued)
            if (now - issued.Plan.PlannedAt > PlanLifetime) _issued.TryRemove(id, out _);
        var max = Math.Max(1, _execution.CurrentValue.MaxIssuedPlans);
        if (_issued.Count >= max)
            foreach (var (id, _) in _issued.OrderBy(p => p.Value.Plan.PlannedAt).Take(_issued.Count - max + 1).ToList())
                _issued.TryRemove(id, out _);
    }

    private sealed class StaticOptions<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;
        public T Get(string? name) => value;
        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }

    private static string PlanJson(ActionPlan plan)
    {
        var node = JsonSerializer.SerializeToNode(new
        {
            plan.Title,
            Account = plan.Account.Length == 0 ? null : plan.Account,
            PlannedAt = plan.PlannedAt,
            PlannedBy = plan.PlannedBy.Name,
            PlannedById = plan.PlannedBy.Id,
            Status = plan.Status.ToString(),
            plan.Problems,
            plan.BlastRadius,
            plan.Notes,
            // Request: the call's exact SDK request (JSON), which crash reconciliation reads; Parameters: the text the user saw.
            Calls = plan.Calls.Select(c => new { c.Step, c.Region, c.Operation, KeyId = c.KeyIdOr(plan.KeyId), c.Parameters, c.Request, c.Purpose }),
        }, Json)!.AsObject();
        // Only runs on an approval carry it: who asked, who approved.
        if (plan.Approval is { } approval) node.Insert(node.Count - 1, "Approval", JsonSerializer.SerializeToNode(approval, Json));
        return node.ToJsonString(Json);
    }

    private static string ApprovalSuffix(ActionPlan plan) => plan.Approval is { } a ? " " + a.Sentence : "";

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
