using System.Security.Claims;
using System.Text.Json;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Runbooks;
using KmsDashboard.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Approvals;

/// <summary>
/// The two-person rule (<c>Safety:RequireApproval</c>). One Admin requests a destructive plan exactly as confirmed (its calls,
/// inputs and typed confirmation); a different Admin approves it and it runs at once, as the approver, through the
/// guarded path: authorization re-checked, the keys re-read and the plan made again — refused when it would now send other
/// calls — the journal entry opened before the first call and naming both people. Requests expire after
/// <c>Safety:ApprovalTtlMinutes</c>, can be rejected by another Admin or withdrawn by their requester; every one of these
/// is a journal entry (<see cref="JournalActions"/>).
/// </summary>
public sealed class ApprovalService
{
    /// <summary>The journal's Action for each event of a request.</summary>
    public static class JournalActions
    {
        public const string Request = "Approval.request", Approve = "Approval.approve", Reject = "Approval.reject",
            Withdraw = "Approval.withdraw", Expire = "Approval.expire";

        public static IReadOnlyList<string> All { get; } = [Request, Approve, Reject, Withdraw, Expire];
    }

    private const string SystemId = "system", SystemName = "(approval expiry)";

    private readonly ApprovalStore _store;
    private readonly KeyOperations _operations;
    private readonly RunbookService? _runbooks;
    private readonly ActionJournal _journal;
    private readonly IAuthorizationService _authorization;
    private readonly IOptionsMonitor<SafetyOptions> _safety;
    private readonly TimeProvider _time;
    private readonly ILogger<ApprovalService> _logger;
    private readonly object _gate = new();
    private Action[] _listeners = [];
    private int _pending = -1;

    public ApprovalService(ApprovalStore store, KeyOperations operations, ActionJournal journal, IAuthorizationService authorization,
        IOptionsMonitor<SafetyOptions> safety, TimeProvider time, ILogger<ApprovalService> logger, RunbookService? runbooks = null)
    {
        _store = store;
        _operations = operations;
        _runbooks = runbooks;
        _journal = journal;
        _authorization = authorization;
        _safety = safety;
        _time = time;
        _logger = logger;
    }

    /// <summary><c>Safety:ReadOnly</c>: nothing can be requested or approved.</summary>
    public bool IsReadOnly => _safety.CurrentValue.ReadOnly;

    /// <summary>Whether the two-person rule is on.</summary>
    public bool IsOn => _safety.CurrentValue.ApprovalRequired;

    /// <summary>How long a request waits before it expires.</summary>
    public TimeSpan Lifetime => TimeSpan.FromMinutes(_safety.CurrentValue.ApprovalTtlMinutes);

    /// <summary>Whether this key action is requested rather than run (the rule is on and the action is destructive).</summary>
    public bool IsRequired(KeyAction action) => _operations.NeedsApproval(action);

    /// <summary>Whether this runbook step is requested rather than run (the rule is on and it is step 8 or 9).</summary>
    public bool IsRequired(RunbookStep step) => _runbooks?.NeedsApproval(step) ?? false;

    /// <summary>Requests waiting for an approval (as last counted; -1 before the first count).</summary>
    public int PendingCount => Volatile.Read(ref _pending);

    /// <summary>Called after every change of any request (new, decided, run, expired); dispose to stop.</summary>
    public IDisposable Changed(Action listener)
    {
        lock (_gate) _listeners = [.. _listeners, listener];
        return new Subscription(() => { lock (_gate) _listeners = [.. _listeners.Where(l => l != listener)]; });
    }

    // ── Reading ─────────────────────────────────────────────────────────────────────────────────────────────────

    public async Task<ApprovalRequest?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await _store.FindAsync(id, cancellationToken) is { } record ? View(record) : null;

    /// <summary>Requests waiting for an approval, newest first (expired ones are closed first).</summary>
    public async Task<IReadOnlyList<ApprovalRequest>> PendingAsync(CancellationToken cancellationToken)
    {
        await ExpireDueAsync(cancellationToken);
        return [.. (await _store.ListAsync([ApprovalStatus.Pending], 500, cancellationToken)).Select(View)];
    }

    /// <summary>Decided requests (run, rejected, withdrawn, expired, invalidated), newest first.</summary>
    public async Task<IReadOnlyList<ApprovalRequest>> RecentAsync(int limit, CancellationToken cancellationToken) =>
        [.. (await _store.ListAsync([ApprovalStatus.Approved, ApprovalStatus.Executed, ApprovalStatus.Rejected, ApprovalStatus.Withdrawn,
            ApprovalStatus.Expired, ApprovalStatus.Invalidated], limit, cancellationToken)).Select(View)];

    /// <summary>The pending request for a runbook's step, if any (the runbook page shows it).</summary>
    public async Task<ApprovalRequest?> PendingForStepAsync(Guid runbookId, int stepIndex, CancellationToken cancellationToken)
    {
        var rows = await _store.ListAsync([ApprovalStatus.Pending, ApprovalStatus.Approved], 500, cancellationToken);
        return rows.Where(r => r.RunbookId == runbookId && r.StepIndex == stepIndex).Select(View).FirstOrDefault();
    }

    /// <summary>Counts the pending requests again and tells the listeners.</summary>
    public async Task RecountAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _pending, await _store.CountPendingAsync(cancellationToken));
        Action[] listeners;
        lock (_gate) listeners = _listeners;
        foreach (var listener in listeners)
        {
            try { listener(); }
            catch (Exception ex) { _logger.LogWarning(ex, "An approvals listener failed"); }
        }
    }

    // ── Requesting ──────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// Stores a request to run <paramref name="plan"/> (planned by <paramref name="user"/>, confirmed with
    /// <paramref name="typedConfirmation"/>) once another Admin approves it. Nothing is sent to AWS.
    /// </summary>
    public async Task<ApprovalOutcome> RequestAsync(ClaimsPrincipal user, ActionPlan plan, string? typedConfirmation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var who = DashboardUser.From(user);
        var refusal = await RefusalAsync(user, "request approval for " + plan.Title.ToLowerInvariant());
        if (refusal is null && !IsRequired(plan.Action)) refusal = $"{plan.Title} does not need an approval: confirm it directly.";
        if (refusal is null && !string.Equals(plan.PlannedBy.Id, who.Id, StringComparison.Ordinal))
            refusal = $"This plan was made by {plan.PlannedBy.Name}; {who.Name} must plan it again.";
        if (refusal is null && !plan.CanExecute)
            refusal = plan.Status == PlanStatus.NothingToDo ? "Nothing to do: the keys already are as asked." : $"The plan cannot run: {string.Join(" ", plan.Problems)}";
        if (refusal is null && _time.GetUtcNow() - plan.PlannedAt > KeyOperations.PlanLifetime)
            refusal = $"This plan is older than {KeyOperations.PlanLifetime.TotalMinutes:0} minutes and the keys may have changed; plan again.";
        if (refusal is null && !plan.IsConfirmedBy(typedConfirmation))
            refusal = $"Type the key id ({plan.KeyId}) or one of its aliases to confirm the request.";
        if (refusal is null && await _store.PendingForAsync(plan.Action.Name, plan.KeyId, null, null, cancellationToken) is { } open)
            refusal = $"{open.RequestedByName} already asked to {plan.Title.ToLowerInvariant()} {plan.KeyId} (request {open.Id}, pending until {open.ExpiresAt:HH:mm} UTC): approve, reject or withdraw that one first.";
        if (refusal is not null) return ApprovalOutcome.Refused(refusal);

        var now = _time.GetUtcNow();
        var record = new ApprovalRecord
        {
            Id = Guid.NewGuid(), Kind = ApprovalKind.KeyAction, Action = plan.Action.Name, Title = plan.Title, KeyId = plan.KeyId, Region = plan.Region,
            Inputs = JsonSerializer.Serialize(plan.Request, plan.Request.GetType(), ApprovalStore.Json),
            Preview = JsonSerializer.Serialize(new ApprovalPreview
            {
                Calls = [.. plan.Calls.Select(c => new ApprovalCall(c.Step, c.Region, c.Operation, c.Parameters, c.Purpose))],
                BlastRadius = [.. plan.BlastRadius], Notes = [.. plan.Notes],
            }, ApprovalStore.Json),
            ConfirmationTexts = JsonSerializer.Serialize(plan.RequiresTypedConfirmation ? plan.ConfirmationTexts : [], ApprovalStore.Json),
            TypedByRequester = typedConfirmation?.Trim() ?? "",
        };
        var stored = await StoreAsync(user, who, record, now, cancellationToken);
        _operations.Discard(plan);   // it runs only as the approver's fresh plan
        return stored;
    }

    /// <summary>Stores a request to run a runbook step's plan (steps 8–9) once another Admin approves it, and lets go of the runbook's lease.</summary>
    public async Task<ApprovalOutcome> RequestStepAsync(ClaimsPrincipal user, RunbookPlan plan, string? typedConfirmation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (_runbooks is null) return ApprovalOutcome.Refused("Runbooks are not part of this dashboard.");
        var who = DashboardUser.From(user);
        var view = await _runbooks.GetAsync(plan.RunbookId, cancellationToken);
        var step = view?.Definition.Find(plan.StepName);
        var refusal = await RefusalAsync(user, "request approval for a runbook step");
        if (refusal is null && (view is null || step is null)) refusal = "There is no such runbook step.";
        if (refusal is null && !IsRequired(step!)) refusal = $"{plan.Title} does not need an approval: confirm it directly.";
        if (refusal is null && !string.Equals(plan.PlannedById, RunbookUser.From(user).Id, StringComparison.Ordinal))
            refusal = $"This plan was made by {plan.PlannedByName}; {who.Name} must plan it again.";
        if (refusal is null && (plan.Status != PlanStatus.Ready || plan.Calls.Count == 0))
            refusal = plan.Calls.Count == 0 && plan.Status is PlanStatus.Ready or PlanStatus.NothingToDo
                ? "This plan sends nothing: confirm it directly."
                : $"The plan cannot run: {string.Join(" ", plan.Problems)}";
        if (refusal is null && view!.Runbook.CurrentStep != plan.StepIndex) refusal = "The runbook moved on since this plan was made; plan again.";
        if (refusal is null && _time.GetUtcNow() - plan.PlannedAt > _runbooks.Options.Lease)
            refusal = $"This plan is older than {_runbooks.Options.Lease.TotalMinutes:0} minutes and the keys may have changed; plan again.";
        if (refusal is null && !plan.IsConfirmedBy(typedConfirmation))
            refusal = $"Type {string.Join(" or ", plan.ConfirmationTexts)} to confirm the request.";
        var action = view is null ? "" : $"Runbook.{view.Runbook.Kind}.{plan.StepName}";
        if (refusal is null && await _store.PendingForAsync(action, view!.Runbook.KeyId, plan.RunbookId, plan.StepIndex, cancellationToken) is { } open)
            refusal = $"{open.RequestedByName} already asked for this step (request {open.Id}): approve, reject or withdraw that one first.";
        if (refusal is not null) return ApprovalOutcome.Refused(refusal);

        var now = _time.GetUtcNow();
        var record = new ApprovalRecord
        {
            Id = Guid.NewGuid(), Kind = ApprovalKind.RunbookStep, Action = action, KeyId = view!.Runbook.KeyId,
            Title = $"{view.Runbook.Title} — step {plan.StepIndex}: {plan.Title}",
            Region = plan.Calls.FirstOrDefault()?.Region ?? "",
            Inputs = JsonSerializer.Serialize(plan.Options, ApprovalStore.Json),
            Preview = JsonSerializer.Serialize(new ApprovalPreview
            {
                Calls = [.. plan.Calls.Select((c, i) => new ApprovalCall(i + 1, c.Region, c.Operation, c.Parameters, c.Purpose))],
                Notes = [.. plan.Notes], Warnings = [.. plan.Warnings],
            }, ApprovalStore.Json),
            ConfirmationTexts = JsonSerializer.Serialize(plan.RequiresTypedConfirmation ? plan.ConfirmationTexts : [], ApprovalStore.Json),
            TypedByRequester = typedConfirmation?.Trim() ?? "",
            RunbookId = plan.RunbookId, StepIndex = plan.StepIndex, StepName = plan.StepName,
        };
        var stored = await StoreAsync(user, who, record, now, cancellationToken);
        // The approver plans the step again as themself: the runbook's lease must be free for them.
        if (stored.Done) await _runbooks.ReleaseAsync(user, plan.RunbookId, cancellationToken);
        return stored;
    }

    private async Task<ApprovalOutcome> StoreAsync(ClaimsPrincipal user, DashboardUser who, ApprovalRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        record.RequestedById = who.Id;
        record.RequestedByName = who.Name;
        record.RequestedAt = now.UtcDateTime;
        record.ExpiresAt = (now + Lifetime).UtcDateTime;
        record.Status = ApprovalStatus.Pending;
        await _store.AddAsync(record, cancellationToken);
        var calls = View(record).Preview.Calls.Count;
        var summary = $"{who.Name} asked for a second Admin's approval to run: {record.Title} of {record.KeyId} ({calls} call{(calls == 1 ? "" : "s")}); expires {record.ExpiresAt:yyyy-MM-dd HH:mm} UTC.";
        if (await JournalAsync(user, record, JournalActions.Request, ActionOutcome.Succeeded, summary) is null)
        {
            // Nothing without a record: a request the journal does not hold is closed at once.
            await _store.DecideAsync(record.Id, ApprovalStatus.Invalidated, who.Id, who.Name, now.UtcDateTime, "The action journal could not be written.", CancellationToken.None);
            await RecountAsync(CancellationToken.None);
            return ApprovalOutcome.Refused("The action journal could not be written, so the request was not made. Fix the journal's storage, then request again.");
        }
        _logger.LogInformation("Approval requested: {Action} of {KeyId} by {User} (request {RequestId})", record.Action, record.KeyId, who.Name, record.Id);
        await RecountAsync(cancellationToken);
        return new ApprovalOutcome(true, $"Approval requested: another Admin must approve it before {record.ExpiresAt:HH:mm} UTC.", View(record));
    }

    // ── Deciding ────────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// Approves a pending request and runs it at once as <paramref name="user"/> (who must be an Admin other than the
    /// requester and type the key id or an alias): the keys are re-read and the plan made again; when it would send other
    /// calls than the request showed, nothing is sent and the request is closed as invalidated.
    /// </summary>
    public async Task<ApprovalOutcome> ApproveAsync(ClaimsPrincipal user, Guid id, string? typedConfirmation, CancellationToken cancellationToken)
    {
        var who = DashboardUser.From(user);
        var record = await _store.FindAsync(id, cancellationToken);
        if (record is null) return ApprovalOutcome.Refused("There is no such approval request.");
        if (await RefusalAsync(user, "approve " + record.Title.ToLowerInvariant()) is { } denied)
            return await RefuseAsync(user, record, JournalActions.Approve, denied);
        if (await ClosedAsync(record, "approved", cancellationToken) is { } closed) return closed;
        if (string.Equals(record.RequestedById, who.Id, StringComparison.Ordinal))
            return await RefuseAsync(user, record, JournalActions.Approve,
                $"{who.Name} asked for this and may not approve it: the two-person rule needs another Admin. Withdraw it instead, if it is no longer wanted.");
        var view = View(record);
        if (!view.IsConfirmedBy(typedConfirmation))
            return ApprovalOutcome.Refused($"Type {string.Join(" or ", view.ConfirmationTexts.Select(c => $"'{c}'"))} to approve.", view);

        return record.Kind == ApprovalKind.KeyAction
            ? await ApproveActionAsync(user, who, record, typedConfirmation, cancellationToken)
            : await ApproveStepAsync(user, who, record, typedConfirmation, cancellationToken);
    }

    private async Task<ApprovalOutcome> ApproveActionAsync(ClaimsPrincipal user, DashboardUser who, ApprovalRecord record, string? typed, CancellationToken cancellationToken)
    {
        var action = _operations.Actions.FirstOrDefault(a => a.Name == record.Action);
        if (action is null || JsonSerializer.Deserialize(record.Inputs, action.RequestType, ApprovalStore.Json) is not KeyActionRequest request)
            return await InvalidateAsync(user, who, record, $"'{record.Action}' is not a key action this dashboard knows.");

        var plan = await _operations.PlanAsync(user, request, cancellationToken);
        if (plan.Status == PlanStatus.Forbidden) return ApprovalOutcome.Refused(string.Join(" ", plan.Problems), View(record));
        var change = !plan.CanExecute
            ? (plan.Status == PlanStatus.NothingToDo ? "nothing is left to do" : string.Join(" ", plan.Problems))
            : Difference(View(record).Preview.Calls, [.. plan.Calls.Select(c => new ApprovalCall(c.Step, c.Region, c.Operation, c.Parameters, c.Purpose))]);
        if (change is not null)
        {
            _operations.Discard(plan);
            return await InvalidateAsync(user, who, record, $"The keys changed since the request: {change}");
        }

        var now = _time.GetUtcNow();
        if (!await _store.DecideAsync(record.Id, ApprovalStatus.Approved, who.Id, who.Name, now.UtcDateTime, null, cancellationToken))
        {
            _operations.Discard(plan);
            return ApprovalOutcome.Refused("Someone else decided this request a moment ago, or it just expired; nothing was sent.", await FindAsync(record.Id, cancellationToken));
        }
        plan.Approval = Stamp(record, who, now);
        await JournalAsync(user, record, JournalActions.Approve, ActionOutcome.Succeeded,
            $"{who.Name} approved {record.Title} of {record.KeyId}, requested by {record.RequestedByName}; running it now.", who);
        await RecountAsync(CancellationToken.None);

        ActionResult result;
        try
        {
            result = await _operations.ExecuteAsync(user, plan, typed, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Approved request {RequestId} stopped unexpectedly", record.Id);
            result = new ActionResult(ActionOutcome.Unknown, $"The run stopped unexpectedly ({ex.Message}); open the journal to see which calls were sent.", [], null);
        }
        await _store.CompleteAsync(record.Id, result.Outcome.ToString(), result.Summary, result.JournalEntryId, CancellationToken.None);
        await RecountAsync(CancellationToken.None);
        return new ApprovalOutcome(result.Outcome is not ActionOutcome.Refused, result.Summary, await FindAsync(record.Id, CancellationToken.None)) { ActionResult = result };
    }

    private async Task<ApprovalOutcome> ApproveStepAsync(ClaimsPrincipal user, DashboardUser who, ApprovalRecord record, string? typed, CancellationToken cancellationToken)
    {
        if (_runbooks is null || record.RunbookId is not { } runbookId || record.StepIndex is not { } stepIndex)
            return await InvalidateAsync(user, who, record, "Runbooks are not part of this dashboard.");
        var options = JsonSerializer.Deserialize<RunbookStepOptions>(record.Inputs, ApprovalStore.Json) ?? new RunbookStepOptions();
        var plan = await _runbooks.PlanStepAsync(user, runbookId, options, cancellationToken);
        if (plan.Status == PlanStatus.Forbidden) return ApprovalOutcome.Refused(string.Join(" ", plan.Problems), View(record));
        string? change = null;
        if (plan.StepIndex != stepIndex || plan.StepName != record.StepName) change = $"the runbook is now at step {plan.StepIndex} ({plan.Title}).";
        else if (plan.Status != PlanStatus.Ready || plan.Calls.Count == 0)
            change = plan.Problems.Count > 0 ? string.Join(" ", plan.Problems) : "nothing is left to do.";
        else change = Difference(View(record).Preview.Calls, [.. plan.Calls.Select((c, i) => new ApprovalCall(i + 1, c.Region, c.Operation, c.Parameters, c.Purpose))]);
        if (change is not null)
        {
            await _runbooks.ReleaseAsync(user, runbookId, CancellationToken.None);
            return await InvalidateAsync(user, who, record, $"The keys or the runbook changed since the request: {change}");
        }

        var now = _time.GetUtcNow();
        if (!await _store.DecideAsync(record.Id, ApprovalStatus.Approved, who.Id, who.Name, now.UtcDateTime, null, cancellationToken))
        {
            await _runbooks.ReleaseAsync(user, runbookId, CancellationToken.None);
            return ApprovalOutcome.Refused("Someone else decided this request a moment ago, or it just expired; nothing was sent.", await FindAsync(record.Id, cancellationToken));
        }
        plan.Approval = Stamp(record, who, now);
        await JournalAsync(user, record, JournalActions.Approve, ActionOutcome.Succeeded,
            $"{who.Name} approved {record.Title}, requested by {record.RequestedByName}; running it now.", who);
        await RecountAsync(CancellationToken.None);

        StepRunResult result;
        try
        {
            result = await _runbooks.ExecuteAsync(user, plan, typed, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Approved request {RequestId} stopped unexpectedly", record.Id);
            result = new StepRunResult(RunbookStepState.Failed, $"The step stopped unexpectedly ({ex.Message}); open the runbook and the journal.", [], []);
        }
        var outcome = result.Refused ? nameof(ActionOutcome.Refused) : result.State switch
        {
            RunbookStepState.Done or RunbookStepState.Skipped => nameof(ActionOutcome.Succeeded),
            RunbookStepState.Partial => nameof(ActionOutcome.PartiallySucceeded),
            _ => nameof(ActionOutcome.Failed),
        };
        await _store.CompleteAsync(record.Id, outcome, result.Summary, null, CancellationToken.None);
        await RecountAsync(CancellationToken.None);
        return new ApprovalOutcome(!result.Refused, result.Summary, await FindAsync(record.Id, CancellationToken.None)) { StepResult = result };
    }

    /// <summary>Another Admin turns a pending request down (the requester withdraws instead). Nothing is sent.</summary>
    public async Task<ApprovalOutcome> RejectAsync(ClaimsPrincipal user, Guid id, string? reason, CancellationToken cancellationToken)
    {
        var who = DashboardUser.From(user);
        var record = await _store.FindAsync(id, cancellationToken);
        if (record is null) return ApprovalOutcome.Refused("There is no such approval request.");
        if (await RefusalAsync(user, "reject " + record.Title.ToLowerInvariant()) is { } denied)
            return await RefuseAsync(user, record, JournalActions.Reject, denied);
        if (await ClosedAsync(record, "rejected", cancellationToken) is { } closed) return closed;
        if (string.Equals(record.RequestedById, who.Id, StringComparison.Ordinal))
            return ApprovalOutcome.Refused("You asked for this: withdraw it instead.", View(record));
        var why = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (why is { Length: > 500 }) return ApprovalOutcome.Refused("Keep the reason under 500 characters.", View(record));
        if (!await _store.DecideAsync(id, ApprovalStatus.Rejected, who.Id, who.Name, _time.GetUtcNow().UtcDateTime, why, cancellationToken))
            return ApprovalOutcome.Refused("Someone else decided this request a moment ago, or it just expired.", await FindAsync(id, cancellationToken));
        record = (await _store.FindAsync(id, cancellationToken))!;
        await JournalAsync(user, record, JournalActions.Reject, ActionOutcome.Succeeded,
            $"{who.Name} rejected {record.Title} of {record.KeyId}, requested by {record.RequestedByName}{(why is null ? "." : $": {why}")}", who);
        await RecountAsync(CancellationToken.None);
        return new ApprovalOutcome(true, "Rejected: nothing was sent.", View(record));
    }

    /// <summary>The requester takes a pending request back. Nothing is sent.</summary>
    public async Task<ApprovalOutcome> WithdrawAsync(ClaimsPrincipal user, Guid id, CancellationToken cancellationToken)
    {
        var who = DashboardUser.From(user);
        var record = await _store.FindAsync(id, cancellationToken);
        if (record is null) return ApprovalOutcome.Refused("There is no such approval request.");
        if (!string.Equals(record.RequestedById, who.Id, StringComparison.Ordinal))
            return await RefuseAsync(user, record, JournalActions.Withdraw, $"Only {record.RequestedByName}, who asked for it, may withdraw this request; other Admins reject it.");
        if (await ClosedAsync(record, "withdrawn", cancellationToken) is { } closed) return closed;
        if (!await _store.DecideAsync(id, ApprovalStatus.Withdrawn, who.Id, who.Name, _time.GetUtcNow().UtcDateTime, null, cancellationToken))
            return ApprovalOutcome.Refused("Someone decided this request a moment ago, or it just expired.", await FindAsync(id, cancellationToken));
        record = (await _store.FindAsync(id, cancellationToken))!;
        await JournalAsync(user, record, JournalActions.Withdraw, ActionOutcome.Succeeded, $"{who.Name} withdrew the request to run {record.Title} of {record.KeyId}.");
        await RecountAsync(CancellationToken.None);
        return new ApprovalOutcome(true, "Withdrawn: nothing was sent.", View(record));
    }

    /// <summary>Closes every pending request whose time is up (journaled); returns how many.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var expired = 0;
        foreach (var record in await _store.DueAsync(now, cancellationToken))
            if (await ExpireAsync(record, now, cancellationToken)) expired++;
        if (expired > 0 || PendingCount < 0) await RecountAsync(cancellationToken);
        return expired;
    }

    private async Task<bool> ExpireAsync(ApprovalRecord record, DateTime now, CancellationToken cancellationToken)
    {
        if (!await _store.DecideAsync(record.Id, ApprovalStatus.Expired, SystemId, SystemName, now, null, cancellationToken)) return false;
        await JournalAsync(null, record, JournalActions.Expire, ActionOutcome.Succeeded,
            $"The request by {record.RequestedByName} to run {record.Title} of {record.KeyId} expired at {record.ExpiresAt:yyyy-MM-dd HH:mm} UTC without an approval; nothing was sent.");
        _logger.LogInformation("Approval request {RequestId} ({Action} of {KeyId}) expired", record.Id, record.Action, record.KeyId);
        return true;
    }

    /// <summary>Null when the request is pending and in time; else why it cannot be <paramref name="verb"/> (expiring it when due).</summary>
    private async Task<ApprovalOutcome?> ClosedAsync(ApprovalRecord record, string verb, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (record.Status == ApprovalStatus.Pending && record.ExpiresAt <= now)
        {
            if (await ExpireAsync(record, now, cancellationToken)) await RecountAsync(CancellationToken.None);
            record = await _store.FindAsync(record.Id, cancellationToken) ?? record;
        }
        if (record.Status == ApprovalStatus.Pending) return null;
        var why = record.Status switch
        {
            ApprovalStatus.Expired => $"This request expired at {record.ExpiresAt:yyyy-MM-dd HH:mm} UTC; it can no longer run. Request again.",
            ApprovalStatus.Rejected => $"{record.DecidedByName} rejected this request; it can no longer run.",
            ApprovalStatus.Withdrawn => $"{record.RequestedByName} withdrew this request; it can no longer run.",
            ApprovalStatus.Invalidated => $"This request was closed: {record.Reason}",
            _ => $"This request was already approved by {record.DecidedByName}.",
        };
        return ApprovalOutcome.Refused($"Not {verb}: {why}", View(record));
    }

    private async Task<ApprovalOutcome> InvalidateAsync(ClaimsPrincipal user, DashboardUser who, ApprovalRecord record, string reason)
    {
        var message = $"{reason} Nothing was sent; the request is closed — plan and request again if it is still wanted.";
        await _store.DecideAsync(record.Id, ApprovalStatus.Invalidated, who.Id, who.Name, _time.GetUtcNow().UtcDateTime, reason, CancellationToken.None);
        await JournalAsync(user, record, JournalActions.Approve, ActionOutcome.Refused, $"Approval of {record.Title} of {record.KeyId} refused: {message}", who);
        await RecountAsync(CancellationToken.None);
        _logger.LogWarning("Approval request {RequestId} invalidated at approval by {User}: {Reason}", record.Id, who.Name, reason);
        return ApprovalOutcome.Refused(message, await FindAsync(record.Id, CancellationToken.None));
    }

    private async Task<ApprovalOutcome> RefuseAsync(ClaimsPrincipal user, ApprovalRecord record, string action, string message)
    {
        await JournalAsync(user, record, action, ActionOutcome.Refused, message);
        _logger.LogWarning("Refused {Action} of approval request {RequestId} to {User}: {Reason}", action, record.Id, DashboardUser.From(user).Name, message);
        return ApprovalOutcome.Refused(message, View(record));
    }

    /// <summary>Requesting, approving and rejecting need the Admin role (with its recent sign-in) and a writable dashboard.</summary>
    private async Task<string?> RefusalAsync(ClaimsPrincipal user, string what)
    {
        if (_safety.CurrentValue.ReadOnly) return $"The dashboard is read-only ({SafetyOptions.Section}:ReadOnly): nothing can be requested or approved.";
        var authorized = await _authorization.AuthorizeAsync(user, DashboardPolicies.CanAdminister);
        if (authorized.Succeeded) return null;
        if (AuthorizationRefusal.HasRoles(user, DashboardPolicies.CanAdminister) && AuthorizationRefusal.StepUpReason(authorized) is { } stepUp) return stepUp;
        var who = DashboardUser.From(user);
        return user.Identity?.IsAuthenticated == true
            ? $"{who.Name} ({(who.Roles.Count == 0 ? "no dashboard role" : string.Join(", ", who.Roles))}) may not {what}: it needs the role Admin."
            : $"Sign in to {what}: it needs the role Admin.";
    }

    /// <summary>Null when the fresh plan sends exactly the calls the request showed (Region, operation, parameters, in order); else what differs.</summary>
    internal static string? Difference(IReadOnlyList<ApprovalCall> requested, IReadOnlyList<ApprovalCall> now)
    {
        static string Key(ApprovalCall c) => $"{c.Operation} in {c.Region} ({c.Parameters})";
        var was = requested.Select(Key).ToList();
        var is_ = now.Select(Key).ToList();
        if (was.SequenceEqual(is_, StringComparer.Ordinal)) return null;
        var parts = new List<string>();
        if (was.Except(is_, StringComparer.Ordinal).ToList() is { Count: > 0 } dropped) parts.Add("the plan no longer sends " + string.Join("; ", dropped));
        if (is_.Except(was, StringComparer.Ordinal).ToList() is { Count: > 0 } added) parts.Add("the plan now also sends " + string.Join("; ", added));
        if (parts.Count == 0) parts.Add("the plan sends the same calls in another order");
        return string.Join(", and ", parts) + ".";
    }

    private static ApprovalStamp Stamp(ApprovalRecord record, DashboardUser approver, DateTimeOffset now) =>
        new(record.Id, record.RequestedByName, record.RequestedById, Utc(record.RequestedAt), approver.Name, approver.Id, now);

    /// <summary>Writes one journal entry for an event of the request; returns its id, or null when the journal could not be written.</summary>
    private async Task<long?> JournalAsync(ClaimsPrincipal? user, ApprovalRecord record, string action, ActionOutcome outcome, string summary, DashboardUser? approver = null)
    {
        var who = user is null ? null : DashboardUser.From(user);
        var view = View(record);
        var plan = new
        {
            RequestId = record.Id,
            record.Title,
            RunsAction = record.Action,
            Kind = record.Kind.ToString(),
            RequestedBy = record.RequestedByName,
            record.RequestedById,
            RequestedAt = Utc(record.RequestedAt),
            ExpiresAt = Utc(record.ExpiresAt),
            Status = record.Status.ToString(),
            ApprovedBy = approver?.Name,
            ApprovedById = approver?.Id,
            record.RunbookId,
            record.StepIndex,
            view.Preview.BlastRadius,
            view.Preview.Notes,
            Calls = view.Preview.Calls,
        };
        var entry = new JournalEntry
        {
            At = _time.GetUtcNow().UtcDateTime,
            User = who?.Name ?? SystemName,
            UserId = who?.Id ?? SystemId,
            Roles = who is null ? "" : string.Join(",", who.Roles),
            Action = action,
            KeyId = record.KeyId,
            Region = record.Region,
            Outcome = outcome.ToString(),
            Summary = summary,
            Inputs = record.Inputs,
            Plan = JsonSerializer.Serialize(plan, ApprovalStore.Json),
        };
        try
        {
            return await _journal.AppendAsync(entry, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not journal {Action} of approval request {RequestId} ({Summary})", action, record.Id, summary);
            return null;
        }
    }

    private static ApprovalRequest View(ApprovalRecord r) => new(
        r.Id, r.Kind, r.Action, r.Title, r.KeyId, r.Region,
        JsonSerializer.Deserialize<ApprovalPreview>(r.Preview, ApprovalStore.Json) ?? new ApprovalPreview(),
        JsonSerializer.Deserialize<List<string>>(r.ConfirmationTexts, ApprovalStore.Json) ?? [],
        r.RunbookId, r.StepIndex, r.RequestedById, r.RequestedByName, Utc(r.RequestedAt), Utc(r.ExpiresAt), r.Status,
        r.DecidedById, r.DecidedByName, r.DecidedAt is { } d ? Utc(d) : null, r.Reason, r.Outcome, r.OutcomeSummary, r.JournalEntryId)
    {
        Account = RecordedAccount.Of(r.Inputs),
    };

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
