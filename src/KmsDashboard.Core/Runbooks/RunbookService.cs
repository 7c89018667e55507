using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Security;
using KmsDashboard.Core.Usage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Runbooks;

/// <summary>
/// The runbook engine. A runbook is a stored run of a <see cref="RunbookDefinition"/>: each step goes through
/// authorize ▸ lease ▸ plan (fresh reads) ▸ [the UI confirms] ▸ journal "Started" ▸ execute (each call's intent and
/// answer recorded) ▸ journal outcome ▸ record ▸ refresh. Steps are idempotent, so after a crash the current step is
/// simply planned and run again.
/// </summary>
public sealed class RunbookService
{
    private readonly RunbookStore _store;
    private readonly IReadOnlyDictionary<string, RunbookDefinition> _definitions;
    private readonly AwsClients _clients;
    private readonly IAuthorizationService _authorization;
    private readonly ActionJournal _journal;
    private readonly KeyInventory _inventory;
    private readonly UsageReader _usage;
    private readonly CloudTrailClients _cloudTrail;
    private readonly IOptionsMonitor<SafetyOptions> _safety;
    private readonly RunbookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RunbookService> _logger;
    private readonly Dependents.BucketCatalog? _buckets;
    private readonly RunbookAccounts? _accounts;
    private readonly ConcurrentDictionary<Guid, RunbookPlan> _issued = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _running = new();

    public RunbookService(RunbookStore store, IEnumerable<RunbookDefinition> definitions, AwsClients clients, IAuthorizationService authorization,
        ActionJournal journal, KeyInventory inventory, UsageReader usage, CloudTrailClients cloudTrail, IOptionsMonitor<SafetyOptions> safety,
        IOptions<RunbookOptions> options, TimeProvider time, ILogger<RunbookService> logger, Dependents.BucketCatalog? buckets = null,
        RunbookAccounts? accounts = null)
    {
        _buckets = buckets;
        _accounts = accounts;
        _store = store;
        _definitions = definitions.ToDictionary(d => d.Kind, StringComparer.Ordinal);
        _clients = clients;
        _authorization = authorization;
        _journal = journal;
        _inventory = inventory;
        _usage = usage;
        _cloudTrail = cloudTrail;
        _safety = safety;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public bool IsReadOnly => _safety.CurrentValue.ReadOnly;

    public DateTimeOffset Now => _time.GetUtcNow();

    public IReadOnlyList<string> Regions => _clients.Regions;

    /// <summary>True when the dashboard reads several accounts: each runbook then names the account it works in.</summary>
    public bool MultiAccount => _accounts?.MultiAccount ?? false;

    /// <summary>The accounts and their clients (null when the dashboard was wired without them: the single account).</summary>
    public RunbookAccounts? Accounts => _accounts;

    public RunbookOptions Options => _options;

    public RunbookDefinition? Definition(string kind) => _definitions.GetValueOrDefault(kind);

    /// <summary>
    /// <c>Safety:RequireApproval</c> (the two-person rule) and a step that needs it (steps 8–9): a plan of it that sends
    /// calls runs only on another Admin's approval (<see cref="Approvals.ApprovalService"/>).
    /// </summary>
    public bool NeedsApproval(RunbookStep step) => _safety.CurrentValue.ApprovalRequired && step.RequiresApproval;

    /// <summary>Whether the current step of a stored plan needs the approval (by its step name).</summary>
    public bool NeedsApproval(string kind, string stepName) => Definition(kind)?.Find(stepName) is { } step && NeedsApproval(step);

    private string? ApprovalRefusal(RunbookStep kind, RunbookPlan plan, DashboardUser who)
    {
        if (plan.Approval is { } approval)
        {
            if (string.Equals(approval.RequestedById, who.Id, StringComparison.Ordinal))
                return $"{who.Name} requested this step and may not approve it: another Admin must (two-person rule).";
            return string.Equals(approval.ApprovedById, who.Id, StringComparison.Ordinal) ? null : $"This approval was given by {approval.ApprovedBy}; only they run it.";
        }
        return NeedsApproval(kind) && plan.Calls.Count > 0 && kind.NotAvailableReason is null
            ? $"{kind.Title} needs a second Admin's approval ({SafetyOptions.Section}:RequireApproval): request approval, and another Admin approves and runs it."
            : null;
    }

    /// <summary>Whether the user may act under <paramref name="policy"/> now (for showing buttons; Core checks again).</summary>
    public async Task<bool> IsAllowedAsync(ClaimsPrincipal user, string policy) =>
        !IsReadOnly && (await _authorization.AuthorizeAsync(user, policy)).Succeeded;

    /// <summary>Authorizes (Operator), validates the inputs against fresh state and stores a new runbook with its steps pending.</summary>
    public async Task<(Guid? Id, IReadOnlyList<string> Problems)> StartAsync(ClaimsPrincipal user, RunbookInputs inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (await RefusalAsync(user, DashboardPolicies.CanOperate, "start a runbook") is { } refusal) return (null, [refusal]);
        if (Definition(inputs.Kind) is not { } definition) return (null, [$"There is no runbook of kind '{inputs.Kind}'."]);
        // The account first, before any AWS call: one the dashboard does not read, or none when it reads several, is refused.
        var (account, accountProblem) = await ResolveAsync(inputs, cancellationToken);
        if (account is null) return (null, [accountProblem!]);
        RunbookStart start;
        try
        {
            var clients = _accounts?.Reads(account) ?? _clients;
            start = await definition.PrepareAsync(inputs, new StartContext(clients, Now, _options)
            {
                Account = account, Buckets = _accounts?.Buckets(account) ?? _buckets?.Of(account.Id),
            }, cancellationToken);
        }
        catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
        {
            return (null, [$"Reading the key set failed, so the runbook cannot start: {StepContext.Describe(ex)}"]);
        }
        if (start.Problems.Count > 0) return (null, start.Problems);

        var who = RunbookUser.From(user);
        var now = Now.UtcDateTime;
        var id = Guid.NewGuid();
        var record = new RunbookRecord
        {
            Id = id, Kind = definition.Kind, Title = start.Title, KeyId = start.KeyId, Account = account.IsDefault ? "" : account.Id,
            Inputs = JsonSerializer.Serialize(inputs, definition.InputsType, RunbookStore.Json),
            State = JsonSerializer.Serialize(start.State, definition.StateType, RunbookStore.Json),
            StartedById = who.Id, StartedByName = who.Name, CreatedAt = now, UpdatedAt = now, CurrentStep = 1, Status = RunbookStatus.Open,
            Steps = [.. definition.Steps.Select((s, i) => new RunbookStepRecord
            {
                RunbookId = id, Index = i + 1, Name = s.Name, Title = s.Title, Phase = RunbookPhases.Forward, State = RunbookStepState.Pending,
            })],
        };
        await _store.AddAsync(record, cancellationToken);
        await JournalAsync(user, record, $"Runbook.{definition.Kind}.start", "Succeeded", $"Started runbook {id}: {start.Title}.", record.Inputs, "{}", [], "");
        _logger.LogInformation("Runbook {RunbookId} ({Kind}) for {KeyId} in account {Account} started by {User}", id, definition.Kind, start.KeyId, record.Account, who.Name);
        return (id, []);
    }

    /// <summary>The account new inputs ask for (a key ARN in the inputs may name it), or why it is refused; no AWS call.</summary>
    private async Task<(Aws.Accounts.AwsAccount? Account, string? Problem)> ResolveAsync(RunbookInputs inputs, CancellationToken cancellationToken)
    {
        if (_accounts is null)
            return inputs.Account is { Length: > 0 } given
                ? (null, $"The dashboard reads one account, so no account is chosen (got {given}).")
                : (new Aws.Accounts.AwsAccount("", "", null, null, _clients.Regions), null);
        var keyId = inputs switch { ManualRotationInputs m => m.KeyId, RetireInputs r => r.KeyId, _ => null };
        var named = _accounts.MultiAccount && keyId is not null ? KeyInputRules.AccountOf(keyId.Trim()) : null;
        return await _accounts.ResolveAsync(inputs.Account, cancellationToken, named);
    }

    /// <summary>Every runbook, most recently changed first.</summary>
    public async Task<IReadOnlyList<RunbookSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var now = Now.UtcDateTime;
        return [.. (await _store.ListAsync(cancellationToken)).Select(r =>
        {
            var current = r.Steps.FirstOrDefault(s => s.Index == r.CurrentStep);
            var held = r.LeaseExpires is { } until && until > now;
            return new RunbookSummary(r.Id, r.Kind, r.Title, r.KeyId, r.StartedByName, Utc(r.CreatedAt), Utc(r.UpdatedAt), r.Status, r.CurrentStep,
                current?.Title ?? "", r.Steps.Count, held ? r.LeaseHolderName : null, held && r.LeaseSince is { } since ? Utc(since) : null, r.Account);
        })];
    }

    public async Task<RunbookView?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var record = await _store.FindAsync(id, cancellationToken);
        if (record is null || Definition(record.Kind) is not { } definition) return null;
        var calls = await _store.CallsAsync(id, cancellationToken);
        var closed = record.Status is RunbookStatus.RolledBack || record.Steps.Any(s => s.Phase == RunbookPhases.Rollback);
        return new RunbookView(record, definition, calls, !closed && definition.CanRollBack(record.Steps),
            definition.ExtraStepsAvailable(record.Steps), Now) { AccountName = _accounts?.Find(record.Account)?.Name ?? "" };
    }

    /// <summary>
    /// Plans the runbook's current step for <paramref name="user"/>: authorizes for that step, takes the lease (or says
    /// who holds it), reads current state and shows the calls. Nothing is sent.
    /// </summary>
    public async Task<RunbookPlan> PlanStepAsync(ClaimsPrincipal user, Guid id, RunbookStepOptions? options, CancellationToken cancellationToken)
    {
        var who = RunbookUser.From(user);
        var record = await _store.FindAsync(id, cancellationToken);
        var step = record?.Steps.FirstOrDefault(s => s.Index == record.CurrentStep);
        var definition = record is null ? null : Definition(record.Kind);
        var plan = new RunbookPlan
        {
            RunbookId = id, StepIndex = step?.Index ?? 0, StepName = step?.Name ?? "", Title = step?.Title ?? "",
            PlannedById = who.Id, PlannedByName = who.Name, PlannedAt = Now, Options = options ?? new RunbookStepOptions(),
        };
        if (record is null || definition is null) return Invalid(plan, "There is no such runbook.");
        if (step is null || definition.Find(step.Name) is not { } kind) return Invalid(plan, "Nothing is left to run in this runbook.");
        if (await RefusalAsync(user, kind.Policy, kind.Title.ToLowerInvariant()) is { } refusal)
        {
            plan.Status = PlanStatus.Forbidden;
            plan.Problems.Add(refusal);
            return plan;
        }
        if (record.Status == RunbookStatus.Paused) return Invalid(plan, "The runbook is paused: resume it first.");

        var (acquired, leased) = await _store.TryLeaseAsync(id, who, Now, _options.Lease, force: false, cancellationToken);
        if (!acquired)
        {
            plan.Status = PlanStatus.PreconditionFailed;
            plan.Problems.Add(HeldMessage(leased ?? record));
            return plan;
        }

        if (kind.NotAvailableReason is { } reason)
        {
            plan.Status = PlanStatus.NothingToDo;
            plan.Notes.Add($"Not available yet: {reason} Confirming records this step as skipped.");
        }
        else if (await AccountOfAsync(record, cancellationToken) is { Problem: { } accountProblem })
        {
            plan.Refuse(accountProblem);
        }
        else
        {
            var context = await ContextAsync(user, leased!, step, definition, who, cancellationToken);
            try
            {
                await kind.PlanAsync(context, plan, cancellationToken);
            }
            catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
            {
                plan.Refuse($"Reading the current state failed, so nothing can be planned: {StepContext.Describe(ex)}");
            }
        }
        if (plan.Status == PlanStatus.Ready && plan.Calls.Count == 0) plan.Status = PlanStatus.NothingToDo;
        plan.RequiresTypedConfirmation = kind.RequiresTypedConfirmation && plan.Status == PlanStatus.Ready && plan.ConfirmationTexts.Count > 0;

        step.Plan = JsonSerializer.Serialize(plan, RunbookStore.Json);
        step.PlanId = plan.Id;
        step.PlannedById = who.Id;
        step.PlannedAt = plan.PlannedAt.UtcDateTime;
        if (step.State == RunbookStepState.Pending) step.State = RunbookStepState.Planned;
        await _store.SaveStepAsync(step, cancellationToken);
        if (plan.CanExecute) _issued[plan.Id] = plan;
        return plan;
    }

    /// <summary>
    /// Runs a plan issued to the same user, once: authorizes again, checks the typed confirmation and the lease, journals
    /// the start before any AWS call, executes, records each Region and call, journals the outcome and moves on.
    /// </summary>
    public async Task<StepRunResult> ExecuteAsync(ClaimsPrincipal user, RunbookPlan plan, string? typedConfirmation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var who = RunbookUser.From(user);
        var record = await _store.FindAsync(plan.RunbookId, cancellationToken);
        var definition = record is null ? null : Definition(record.Kind);
        var step = record?.Steps.FirstOrDefault(s => s.Index == plan.StepIndex);
        var kind = step is null ? null : definition?.Find(step.Name);
        if (record is null || definition is null || step is null || kind is null) return StepRunResult.Refusal("There is no such runbook step.");

        var refusal = await RefusalAsync(user, kind.Policy, kind.Title.ToLowerInvariant());
        if (refusal is null) refusal = ApprovalRefusal(kind, plan, DashboardUser.From(user));
        if (refusal is null && who.Id != plan.PlannedById) refusal = $"This plan was made by {plan.PlannedByName}; {who.Name} must plan it again.";
        if (refusal is null && !plan.CanExecute) refusal = $"The plan cannot run: {string.Join(" ", plan.Problems)}";
        if (refusal is null && !plan.IsConfirmedBy(typedConfirmation)) refusal = $"Type {string.Join(" or ", plan.ConfirmationTexts)} to confirm.";
        if (refusal is null && record.Status == RunbookStatus.Paused) refusal = "The runbook is paused: resume it first.";
        if (refusal is null && (record.CurrentStep != plan.StepIndex || step.PlanId != plan.Id))
            refusal = "The runbook moved on since this plan was made; plan again.";
        if (refusal is null && !_issued.TryRemove(plan.Id, out _)) refusal = "This plan was already executed, or was not issued here; plan again.";
        if (refusal is null && Now - plan.PlannedAt > _options.Lease)
            refusal = $"This plan is older than {_options.Lease.TotalMinutes:0} minutes and the keys may have changed; plan again.";
        if (refusal is null && await AccountOfAsync(record, cancellationToken) is { Problem: { } accountProblem }) refusal = accountProblem;
        if (refusal is not null)
        {
            await JournalAsync(user, record, $"Runbook.{record.Kind}.{step.Name}", "Refused", refusal, InputsJson(record, plan), PlanJson(plan), [], "");
            return StepRunResult.Refusal(refusal);
        }

        var gate = _running.GetOrAdd(record.Id, _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(0, cancellationToken)) return StepRunResult.Refusal("A step of this runbook is running right now.");
        try
        {
            var (acquired, leased) = await _store.TryLeaseAsync(record.Id, who, Now, _options.Lease, force: false, cancellationToken);
            if (!acquired) return StepRunResult.Refusal(HeldMessage(leased ?? record));
            record = leased!;
            step = record.Steps.First(s => s.Index == plan.StepIndex);
            return await RunAsync(user, who, record, definition, step, kind, plan, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<StepRunResult> RunAsync(ClaimsPrincipal user, RunbookUser who, RunbookRecord record, RunbookDefinition definition,
        RunbookStepRecord step, RunbookStep kind, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var action = $"Runbook.{record.Kind}.{step.Name}";
        step.State = RunbookStepState.Running;
        step.StartedAt = Now.UtcDateTime;
        step.FinishedAt = null;
        step.RunById = who.Id;
        step.RunByName = who.Name;
        step.Error = null;
        await _store.SaveStepAsync(step, cancellationToken);
        // Written before the first AWS call: a crash mid-step still leaves who started what, with which plan.
        await JournalAsync(user, record, action, "Started", $"Runbook {record.Id} step {step.Index} ({step.Title}) started." + ApprovalSuffix(plan),
            InputsJson(record, plan), PlanJson(plan), [], plan.Calls.FirstOrDefault()?.Region ?? "");

        var context = await ContextAsync(user, record, step, definition, who, cancellationToken);
        string summary;
        RunbookStepState state;
        if (kind.NotAvailableReason is { } reason)
        {
            summary = $"Skipped: {reason}";
            state = RunbookStepState.Skipped;
        }
        else
        {
            try
            {
                summary = await kind.ExecuteAsync(context, plan, cancellationToken);
                state = StateFrom(context.Regions);
            }
            catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken) || ex is RunbookStepException)
            {
                summary = ex is RunbookStepException ? ex.Message : $"{kind.Title} failed: {StepContext.Describe(ex)}";
                step.Error = summary;
                state = RunbookStepState.Failed;
            }
            await context.SaveStateAsync(CancellationToken.None);
        }

        step.State = state;
        step.Summary = summary;
        step.Regions = JsonSerializer.Serialize(context.Regions, RunbookStore.Json);
        step.FinishedAt = Now.UtcDateTime;
        if (state == RunbookStepState.Failed) step.Error ??= summary;
        await _store.SaveStepAsync(step, CancellationToken.None);

        var outcome = state switch
        {
            RunbookStepState.Done or RunbookStepState.Skipped => "Succeeded",
            RunbookStepState.Partial => "PartiallySucceeded",
            _ => "Failed",
        };
        await JournalAsync(user, record, action, outcome, $"Runbook {record.Id} step {step.Index} ({step.Title}): {summary}" + ApprovalSuffix(plan),
            InputsJson(record, plan), PlanJson(plan), context.Calls, plan.Calls.FirstOrDefault()?.Region ?? "");
        await AdvanceAsync(record.Id, CancellationToken.None);
        await ReleaseIfNextIsNotTheirsAsync(user, who, record.Id, definition);
        _logger.LogInformation("Runbook {RunbookId} step {Step} by {User}: {State}", record.Id, step.Name, who.Name, state);

        await RefreshAsync(record.Id, definition, CancellationToken.None);
        return new StepRunResult(state, summary, context.Regions, context.Calls);
    }

    /// <summary>Lets go of the lease when the runbook is closed or its next step needs a role the user lacks (an Operator hands over to an Admin).</summary>
    private async Task ReleaseIfNextIsNotTheirsAsync(ClaimsPrincipal user, RunbookUser who, Guid id, RunbookDefinition definition)
    {
        var record = await _store.FindAsync(id, CancellationToken.None);
        var next = record?.Steps.FirstOrDefault(s => s.Index == record.CurrentStep);
        var kind = next is null ? null : definition.Find(next.Name);
        if (kind is null || !(await _authorization.AuthorizeAsync(user, kind.Policy)).Succeeded)
            await _store.ReleaseLeaseAsync(id, who, CancellationToken.None);
    }

    /// <summary>Pauses the runbook (nothing can be planned until it is resumed) and releases the lease.</summary>
    public async Task<string?> PauseAsync(ClaimsPrincipal user, Guid id, CancellationToken cancellationToken) =>
        await SetPausedAsync(user, id, paused: true, cancellationToken);

    public async Task<string?> ResumeAsync(ClaimsPrincipal user, Guid id, CancellationToken cancellationToken) =>
        await SetPausedAsync(user, id, paused: false, cancellationToken);

    private async Task<string?> SetPausedAsync(ClaimsPrincipal user, Guid id, bool paused, CancellationToken cancellationToken)
    {
        if (await RefusalAsync(user, DashboardPolicies.CanOperate, paused ? "pause a runbook" : "resume a runbook") is { } refusal) return refusal;
        var who = RunbookUser.From(user);
        var record = await _store.FindAsync(id, cancellationToken);
        if (record is null) return "There is no such runbook.";
        if (record.Status is RunbookStatus.Finished or RunbookStatus.RolledBack) return "The runbook is closed.";
        if (paused == (record.Status == RunbookStatus.Paused)) return paused ? "The runbook is already paused." : "The runbook is not paused.";
        var (acquired, leased) = await _store.TryLeaseAsync(id, who, Now, _options.Lease, force: false, cancellationToken);
        if (!acquired) return HeldMessage(leased ?? record);
        await _store.UpdateRunbookAsync(id, paused ? RunbookStatus.Paused : RunbookStatus.Open, record.CurrentStep, Now, cancellationToken);
        if (paused) await _store.ReleaseLeaseAsync(id, who, cancellationToken);
        else await AdvanceAsync(id, cancellationToken);
        await JournalAsync(user, record, $"Runbook.{record.Kind}.{(paused ? "pause" : "resume")}", "Succeeded",
            $"Runbook {id} {(paused ? "paused" : "resumed")} by {who.Name}.", AccountInputs(record), "{}", [], "");
        return null;
    }

    /// <summary>Gives the lease back so another operator (an Admin for steps 8–9) can go on at once.</summary>
    public async Task ReleaseAsync(ClaimsPrincipal user, Guid id, CancellationToken cancellationToken) =>
        await _store.ReleaseLeaseAsync(id, RunbookUser.From(user), cancellationToken);

    /// <summary>An Admin takes the lease from another operator, with a written reason (journaled).</summary>
    public async Task<string?> TakeOverAsync(ClaimsPrincipal user, Guid id, string reason, CancellationToken cancellationToken)
    {
        if (await RefusalAsync(user, DashboardPolicies.CanAdminister, "take over a runbook") is { } refusal) return refusal;
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < 10) return "Write a reason of at least 10 characters to take over.";
        var record = await _store.FindAsync(id, cancellationToken);
        if (record is null) return "There is no such runbook.";
        var who = RunbookUser.From(user);
        await _store.TryLeaseAsync(id, who, Now, _options.Lease, force: true, cancellationToken);
        await JournalAsync(user, record, $"Runbook.{record.Kind}.takeover", "Succeeded",
            $"Runbook {id} taken over by {who.Name} from {record.LeaseHolderName ?? "nobody"}: {reason.Trim()}", AccountInputs(record), "{}", [], "");
        return null;
    }

    /// <summary>Starts the rollback: forward steps not done are skipped and the definition's rollback steps are appended.</summary>
    public async Task<string?> RollBackAsync(ClaimsPrincipal user, Guid id, CancellationToken cancellationToken)
    {
        if (await RefusalAsync(user, DashboardPolicies.CanOperate, "roll back a runbook") is { } refusal) return refusal;
        var view = await GetAsync(id, cancellationToken);
        if (view is null) return "There is no such runbook.";
        if (!view.CanRollBack) return "This runbook can no longer be rolled back (deletion was scheduled, or it was already rolled back).";
        var who = RunbookUser.From(user);
        var (acquired, leased) = await _store.TryLeaseAsync(id, who, Now, _options.Lease, force: false, cancellationToken);
        if (!acquired) return HeldMessage(leased ?? view.Runbook);
        foreach (var step in view.Runbook.Steps.Where(s => s.Phase == RunbookPhases.Forward && s.State is not (RunbookStepState.Done or RunbookStepState.Skipped)))
        {
            step.State = RunbookStepState.Skipped;
            step.Summary = string.IsNullOrEmpty(step.Summary) ? "Not run: the runbook was rolled back." : step.Summary + " (Stopped: the runbook was rolled back.)";
            await _store.SaveStepAsync(step, cancellationToken);
        }
        await AppendAsync(view.Runbook, view.Definition.RollbackSteps, RunbookPhases.Rollback, cancellationToken);
        await _store.UpdateRunbookAsync(id, RunbookStatus.Open, view.Runbook.CurrentStep, Now, cancellationToken);
        await AdvanceAsync(id, cancellationToken);
        await JournalAsync(user, view.Runbook, $"Runbook.{view.Runbook.Kind}.rollback", "Succeeded", $"Rollback of runbook {id} started by {who.Name}.", AccountInputs(view.Runbook), "{}", [], "");
        return null;
    }

    /// <summary>Adds an extra step the definition offers now (re-enable the old key set, cancel deletion); it becomes the current step.</summary>
    public async Task<string?> AddExtraStepAsync(ClaimsPrincipal user, Guid id, string name, CancellationToken cancellationToken)
    {
        var view = await GetAsync(id, cancellationToken);
        if (view is null) return "There is no such runbook.";
        var step = view.ExtraSteps.FirstOrDefault(s => s.Name == name);
        if (step is null) return $"'{name}' is not available for this runbook now.";
        if (await RefusalAsync(user, step.Policy, step.Title.ToLowerInvariant()) is { } refusal) return refusal;
        var (acquired, leased) = await _store.TryLeaseAsync(id, RunbookUser.From(user), Now, _options.Lease, force: false, cancellationToken);
        if (!acquired) return HeldMessage(leased ?? view.Runbook);
        await AppendAsync(view.Runbook, [step], RunbookPhases.Extra, cancellationToken);
        await _store.UpdateRunbookAsync(id, RunbookStatus.Open, view.Runbook.CurrentStep, Now, cancellationToken);
        await AdvanceAsync(id, cancellationToken);
        return null;
    }

    /// <summary>Sets a forward step back to pending (e.g. disable again after the old key was re-enabled).</summary>
    internal async Task ReopenAsync(RunbookRecord record, string name, string why, CancellationToken cancellationToken)
    {
        var fresh = await _store.FindAsync(record.Id, cancellationToken);
        foreach (var step in fresh?.Steps.Where(s => s.Name == name && s.Phase == RunbookPhases.Forward) ?? [])
        {
            step.State = RunbookStepState.Pending;
            step.Summary = why;
            await _store.SaveStepAsync(step, cancellationToken);
        }
    }

    private async Task AppendAsync(RunbookRecord record, IEnumerable<RunbookStep> steps, string phase, CancellationToken cancellationToken)
    {
        var next = record.Steps.Count == 0 ? 1 : record.Steps.Max(s => s.Index) + 1;
        await _store.AddStepsAsync(steps.Select((s, i) => new RunbookStepRecord
        {
            RunbookId = record.Id, Index = next + i, Name = s.Name, Title = s.Title, Phase = phase, State = RunbookStepState.Pending,
        }), cancellationToken);
    }

    /// <summary>Works out the next step (extra and rollback steps before forward ones) and the runbook's status.</summary>
    private async Task AdvanceAsync(Guid id, CancellationToken cancellationToken)
    {
        var record = await _store.FindAsync(id, cancellationToken);
        if (record is null) return;
        var open = record.Steps.Where(s => s.State is not (RunbookStepState.Done or RunbookStepState.Skipped)).ToList();
        var next = open.Where(s => s.Phase != RunbookPhases.Forward).MinBy(s => s.Index) ?? open.MinBy(s => s.Index);
        RunbookStatus status;
        if (next is null)
            status = record.Steps.Any(s => s.Phase == RunbookPhases.Rollback) ? RunbookStatus.RolledBack : RunbookStatus.Finished;
        else if (record.Status == RunbookStatus.Paused)
            status = RunbookStatus.Paused;
        else
            status = next.State == RunbookStepState.Failed ? RunbookStatus.Failed : RunbookStatus.Open;
        await _store.UpdateRunbookAsync(id, status, next?.Index ?? 0, Now, cancellationToken);
    }

    private async Task<StepContext> ContextAsync(ClaimsPrincipal? principal, RunbookRecord record, RunbookStepRecord step, RunbookDefinition definition, RunbookUser who, CancellationToken cancellationToken)
    {
        var state = JsonSerializer.Deserialize(record.State, definition.StateType, RunbookStore.Json)
                    ?? throw new InvalidOperationException($"Runbook {record.Id} has no state.");
        var inputs = (RunbookInputs)(JsonSerializer.Deserialize(record.Inputs, definition.InputsType, RunbookStore.Json)
                    ?? throw new InvalidOperationException($"Runbook {record.Id} has no inputs."));
        var calls = await _store.CallsAsync(record.Id, cancellationToken);
        var (account, problem) = await AccountOfAsync(record, cancellationToken);
        if (account is null) throw new RunbookStepException(problem!);
        // The runbook's own account: reads through its read role, calls in the user's name (SourceIdentity in a member account).
        var reads = _accounts?.Reads(account) ?? _clients;
        var writes = _accounts?.Writes(account, who.Name) ?? _clients;
        return new StepContext(record, step, definition, state, inputs, who, _time, reads, _store, _usage, _accounts?.CloudTrail(account) ?? _cloudTrail,
            _options, calls, this, account, writes)
        {
            Buckets = _accounts?.Buckets(account) ?? _buckets?.Of(account.Id),
            UserMayAdminister = principal is not null && (await _authorization.AuthorizeAsync(principal, DashboardPolicies.CanAdminister)).Succeeded,
        };
    }

    /// <summary>The account a stored runbook works in ("" from before accounts: the dashboard's own), or why it cannot be used now.</summary>
    private async Task<(Aws.Accounts.AwsAccount? Account, string? Problem)> AccountOfAsync(RunbookRecord record, CancellationToken cancellationToken) =>
        _accounts is null
            ? record.Account.Length == 0 ? (new Aws.Accounts.AwsAccount("", "", null, null, _clients.Regions), null)
                : (null, $"This runbook works in account {record.Account}, and the dashboard now reads one account only: nothing is sent.")
            : await _accounts.ForRecordAsync(record.Account, cancellationToken);

    private async Task RefreshAsync(Guid id, RunbookDefinition definition, CancellationToken cancellationToken)
    {
        try
        {
            var record = await _store.FindAsync(id, cancellationToken);
            if (record is null || JsonSerializer.Deserialize(record.State, definition.StateType, RunbookStore.Json) is not IRunbookState state) return;
            // The keys are the runbook's account's (in the inventory, a member account's keys carry its id).
            var account = (await AccountOfAsync(record, cancellationToken)).Account;
            var inventoryAccount = account is null || account.IsDefault ? "" : account.Id;
            await _inventory.RefreshKeysAsync(state.AffectedKeys.Select(k => k with { Account = inventoryAccount }), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "Could not refresh the inventory after a step of runbook {RunbookId}", id);
        }
    }

    private static RunbookStepState StateFrom(IReadOnlyList<RegionResult> regions)
    {
        if (regions.Count == 0) return RunbookStepState.Done;
        var done = regions.Count(r => r.State is RegionResult.Done or RegionResult.Skipped);
        if (done == regions.Count) return RunbookStepState.Done;
        return done == 0 && regions.All(r => r.State == RegionResult.Failed) ? RunbookStepState.Failed : RunbookStepState.Partial;
    }

    private async Task<string?> RefusalAsync(ClaimsPrincipal user, string policy, string what)
    {
        if (IsReadOnly) return $"The dashboard is read-only ({SafetyOptions.Section}:ReadOnly): runbooks cannot change anything.";
        var authorized = await _authorization.AuthorizeAsync(user, policy);
        if (authorized.Succeeded) return null;
        if (AuthorizationRefusal.HasRoles(user, policy) && AuthorizationRefusal.StepUpReason(authorized) is { } stepUp) return stepUp;
        var who = DashboardUser.From(user);
        var needed = string.Join(" or ", DashboardPolicies.Roles[policy]);
        return user.Identity?.IsAuthenticated == true
            ? $"{who.Name} ({(who.Roles.Count == 0 ? "no dashboard role" : string.Join(", ", who.Roles))}) may not {what}: it needs the role {needed}."
            : $"Sign in to {what}: it needs the role {needed}.";
    }

    private static string HeldMessage(RunbookRecord record) =>
        $"{record.LeaseHolderName} is running this runbook (since {record.LeaseSince:yyyy-MM-dd HH:mm} UTC; their hold lapses at {record.LeaseExpires:HH:mm} UTC unless they go on).";

    private static RunbookPlan Invalid(RunbookPlan plan, string problem)
    {
        plan.Status = PlanStatus.Invalid;
        plan.Problems.Add(problem);
        return plan;
    }

    private static string InputsJson(RunbookRecord record, RunbookPlan plan) =>
        $"{{\"runbookId\":\"{record.Id}\",{AccountJson(record)}\"step\":{plan.StepIndex},\"inputs\":{record.Inputs},\"options\":{JsonSerializer.Serialize(plan.Options, RunbookStore.Json)}}}";

    private static string AccountInputs(RunbookRecord record) => record.Account.Length == 0 ? "{}" : $"{{{AccountJson(record).TrimEnd(',')}}}";

    /// <summary>The account a journal entry records (nothing in the single-account set-up, as before accounts).</summary>
    private static string AccountJson(RunbookRecord record) => record.Account.Length == 0 ? "" : $"\"account\":{JsonSerializer.Serialize(record.Account)},";

    private static string ApprovalSuffix(RunbookPlan plan) => plan.Approval is { } a ? " " + a.Sentence : "";

    private static string PlanJson(RunbookPlan plan) => JsonSerializer.Serialize(plan, RunbookStore.Json);

    private async Task JournalAsync(ClaimsPrincipal user, RunbookRecord record, string action, string outcome, string summary,
        string inputs, string plan, IReadOnlyList<RunbookCallRecord> calls, string region)
    {
        var who = DashboardUser.From(user);
        var entry = new JournalEntry
        {
            At = Now.UtcDateTime, User = who.Name, UserId = who.Id, Roles = string.Join(",", who.Roles), Action = action, KeyId = record.KeyId,
            Region = region, Outcome = outcome, Summary = summary, Inputs = inputs, Plan = plan,
            Calls = [.. calls.Select((c, i) => new JournalCall { Step = i + 1, Region = c.Region, Operation = c.Operation, Status = c.State, Message = c.Message, RequestId = c.RequestId })],
        };
        try
        {
            await _journal.AppendAsync(entry, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not journal {Action} of runbook {RunbookId} by {User} ({Outcome}: {Summary})", action, record.Id, who.Name, outcome, summary);
        }
    }

    internal static IReadOnlyList<RegionResult> ParseRegions(string json) =>
        JsonSerializer.Deserialize<List<RegionResult>>(string.IsNullOrEmpty(json) ? "[]" : json, RunbookStore.Json) ?? [];

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
