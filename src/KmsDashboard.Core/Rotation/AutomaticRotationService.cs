using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Rotation;

/// <summary>
/// Automatic rotation in bulk: pick key sets from the inventory, plan each one's EnableKeyRotation through
/// <see cref="KeyOperations"/> (so every key set passes the same guarded path as the single action), show what changes,
/// the next rotation date and the cost, then — typed confirmation given — journal the run before the first call and
/// execute key set by key set, Regions in parallel, so a throttled or failing Region does not stop the others.
/// </summary>
public sealed class AutomaticRotationService
{
    /// <summary>The journal's action name for a bulk run (each key set's change is also journaled as EnableRotation).</summary>
    public const string JournalAction = "AutomaticRotation";

    /// <summary>The outcome a bulk run's journal entry holds between its first call and its completion.</summary>
    public const string Started = "Started";

    public const int MaxKeySets = 200;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    private readonly KeyOperations _operations;
    private readonly KeyInventory _inventory;
    private readonly AwsClients _clients;
    private readonly IAuthorizationService _authorization;
    private readonly ActionJournal _journal;
    private readonly TimeProvider _time;
    private readonly ILogger<AutomaticRotationService> _logger;
    private readonly ConcurrentDictionary<Guid, AutomaticRotationPlan> _issued = new();
    private readonly Aws.Accounts.AwsAccounts _accounts;

    public AutomaticRotationService(KeyOperations operations, KeyInventory inventory, AwsClients clients, IAuthorizationService authorization,
        ActionJournal journal, TimeProvider time, ILogger<AutomaticRotationService> logger, Aws.Accounts.AwsAccounts? accounts = null)
    {
        _accounts = accounts ?? new Aws.Accounts.AwsAccounts(clients);
        _operations = operations;
        _inventory = inventory;
        _clients = clients;
        _authorization = authorization;
        _journal = journal;
        _time = time;
        _logger = logger;
    }

    /// <summary>The key sets (and single-Region keys) the filter selects, from the current inventory snapshot.</summary>
    public IReadOnlyList<RotationCandidate> Candidates(RotationCandidateFilter filter) =>
        filter.Apply(RotationCandidate.From(_inventory.Current));

    /// <summary>True when the dashboard reads several accounts: candidates, plans and outcomes then name their account.</summary>
    public bool MultiAccount => _accounts.MultiAccount;

    /// <summary>Whether the user may run the wizard (for showing it; Core checks again when planning and executing).</summary>
    public Task<bool> IsAllowedAsync(ClaimsPrincipal user) => _operations.IsAllowedAsync(user, KeyAction.EnableRotation);

    /// <summary>
    /// Authorizes, validates the period text and the key ids (nothing is read on bad input), then plans each key set:
    /// not available (why), refused (why), nothing to do, or the EnableKeyRotation call with next date and cost.
    /// </summary>
    public async Task<AutomaticRotationPlan> PlanAsync(ClaimsPrincipal user, AutomaticRotationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var who = DashboardUser.From(user);
        var plan = new AutomaticRotationPlan(request, who, _time.GetUtcNow());

        if (await RefusalAsync(user) is { } refusal)
        {
            plan.Status = PlanStatus.Forbidden;
            plan._problems.Add(refusal);
            await AppendAsync(plan, who, ActionOutcome.Refused.ToString(), refusal, cancellationToken);
            return plan;
        }

        plan.PeriodInDays = RotationPeriodInput.Parse(request.RotationPeriod, out var periodProblem);
        if (periodProblem is not null) plan._problems.Add(periodProblem);
        var keyIds = (request.KeyIds ?? []).Select(k => k?.Trim() ?? "").ToList();
        if (keyIds.Count == 0) plan._problems.Add("Choose at least one key set.");
        if (keyIds.Count > MaxKeySets) plan._problems.Add($"At most {MaxKeySets} key sets at a time; {keyIds.Count} were chosen.");
        if (keyIds.Distinct(StringComparer.Ordinal).Count() != keyIds.Count) plan._problems.Add("A key set is chosen twice.");
        var candidates = RotationCandidate.From(_inventory.Current).ToDictionary(c => (c.Account, c.KeyId));
        var chosen = new List<RotationCandidate>();
        var account = request.Account?.Trim() ?? "";
        if (!_accounts.MultiAccount && account.Length > 0) plan._problems.Add($"The dashboard reads one account, so no account is chosen (got {account}).");
        else if (_accounts.MultiAccount && account.Length > 0 && _accounts.Find(account) is null)
            plan._problems.Add(Aws.Accounts.AwsAccounts.UnknownAccount(account));
        foreach (var keyId in keyIds)
        {
            if (KeyInputRules.CheckKeyId(keyId) is { } keyProblem) { plan._problems.Add(keyProblem); continue; }
            var (id, where) = (keyId, "");
            if (_accounts.MultiAccount)
            {
                // Each key set's account: the one its ARN names, or the request's; never guessed.
                (_, id) = KeyInputRules.Parse(keyId);
                where = KeyInputRules.AccountOf(keyId) ?? account;
                if (KeyInputRules.AccountOf(keyId) is { } named && account.Length > 0 && named != account) { plan._problems.Add($"{keyId} names account {named} but account {account} was chosen."); continue; }
                if (where.Length == 0) { plan._problems.Add($"Choose the account of {keyId}: the dashboard reads several accounts (give its key ARN or the account)."); continue; }
                if (_accounts.Find(where) is null) { plan._problems.Add($"{keyId}: account {where} is not one of the dashboard's accounts."); continue; }
            }
            if (candidates.GetValueOrDefault((where, id)) is { } candidate) chosen.Add(candidate);
            else plan._problems.Add($"{keyId} is not in the inventory (or is pending deletion); refresh and choose again.");
        }
        if (chosen.Distinct().Count() != chosen.Count && !plan._problems.Contains("A key set is chosen twice.")) plan._problems.Add("A key set is chosen twice.");
        if (plan._problems.Count > 0)
        {
            plan.Status = PlanStatus.Invalid;
            return plan;
        }

        var days = plan.PeriodInDays!.Value;
        using var gate = new SemaphoreSlim(8);
        var changes = await Task.WhenAll(chosen.Select(async candidate =>
        {
            await gate.WaitAsync(cancellationToken);
            try { return await PlanKeySetAsync(user, candidate, days, cancellationToken); }
            finally { gate.Release(); }
        }));
        plan._changes.AddRange(changes);
        if (plan.Changing.Count == 0)
            plan.Status = changes.All(c => c.Kind == RotationChangeKind.NoChange) ? PlanStatus.NothingToDo : PlanStatus.PreconditionFailed;
        if (plan.Status == PlanStatus.Ready) _issued[plan.Id] = plan;
        return plan;
    }

    private async Task<KeySetRotationChange> PlanKeySetAsync(ClaimsPrincipal user, RotationCandidate candidate, int days, CancellationToken ct)
    {
        var change = new KeySetRotationChange
        {
            KeyId = candidate.KeyId, Name = candidate.Name, PrimaryRegion = candidate.PrimaryRegion, Regions = candidate.Regions,
            Account = candidate.Account, AccountLabel = _inventory.Current.AccountLabel(candidate.Account),
            Kind = RotationChangeKind.NotAvailable, Summary = candidate.Unavailable ?? "", PeriodInDays = days, BilledKeys = candidate.BilledKeys,
            WasEnabled = candidate.Rotation.Enabled, PreviousPeriodInDays = candidate.Rotation.PeriodInDays,
        };
        if (candidate.Unavailable is not null) return change;

        var action = await _operations.PlanAsync(user, new EnableRotationRequest
        {
            KeyId = candidate.KeyId, Region = candidate.PrimaryRegion, Account = candidate.Account, RotationPeriodInDays = days,
        }, ct);
        var details = action.Problems.Concat(action.Notes).ToList();
        if (action.Status == PlanStatus.NothingToDo)
            return change with { Kind = RotationChangeKind.NoChange, Summary = $"No change: it already rotates every {days} days.", Details = details, WasEnabled = true, PreviousPeriodInDays = days };
        if (!action.CanExecute)
            return change with { Kind = RotationChangeKind.Refused, Summary = action.Problems.FirstOrDefault() ?? $"Cannot be planned ({action.Status}).", Details = details };

        // Fresh reads for the date and the cost; failing them leaves the change plannable, only less described.
        var (enabled, previous, lastRotation, rotations) = (false, (int?)null, (DateTimeOffset?)null, (int?)null);
        try
        {
            // Read in the key set's own account (the dashboard's clients in the single-account set-up).
            var clients = candidate.Account.Length == 0 ? _clients : _accounts.Clients(_accounts.Find(candidate.Account)!);
            var status = await clients.Kms(candidate.PrimaryRegion).GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = candidate.KeyId }, ct);
            (enabled, previous) = (status.KeyRotationEnabled ?? false, status.RotationPeriodInDays);
            var history = await _inventory.ReadRotationHistoryAsync(new KeyRef(candidate.PrimaryRegion, candidate.KeyId, candidate.Account), ct);
            rotations = history.Rotations.Count;
            lastRotation = history.Rotations.Max(r => r.RotationDate);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            details.Add($"The rotation status or history of {candidate.KeyId} in {candidate.PrimaryRegion} could not be read ({ex.Message}); dates and cost are estimates.");
            enabled = candidate.Rotation.Enabled;
            previous = candidate.Rotation.PeriodInDays;
        }

        var now = _time.GetUtcNow();
        var created = _inventory.Current.Find(new KeyRef(candidate.PrimaryRegion, candidate.KeyId, candidate.Account))?.CreationDate;
        // As KMS does: a new period on a rotating key counts from its last rotation (or creation); a key turned on counts from now.
        DateTimeOffset next = enabled && (lastRotation ?? created) is { } since && since.AddDays(days) > now ? since.AddDays(days) : now.AddDays(days);
        var replicas = candidate.Regions.Count - 1;
        var summary = enabled
            ? $"Change the period from {previous} to {days} days"
            : $"Turn on automatic rotation every {days} days";
        summary += candidate.IsMultiRegion
            ? $" on the primary in {candidate.PrimaryRegion}; {(replicas == 1 ? "its replica follows" : $"its {replicas} replicas follow")}."
            : $" in {candidate.PrimaryRegion}.";
        return change with
        {
            Kind = enabled ? RotationChangeKind.ChangePeriod : RotationChangeKind.TurnOn,
            Summary = summary,
            Details = details,
            WasEnabled = enabled,
            PreviousPeriodInDays = previous,
            NextRotationDate = next,
            RotationsSoFar = rotations,
            Cost = RotationCostEffect.Estimate(rotations, candidate.BilledKeys, next, days),
            Action = action,
        };
    }

    /// <summary>
    /// Runs a plan issued by <see cref="PlanAsync"/> to the same user, once, with its typed confirmation: journals the
    /// run before the first call, executes each key set's plan through <see cref="KeyOperations.ExecuteAsync"/> (Regions
    /// in parallel, one key set after another within a Region), and completes the journal entry with every call.
    /// </summary>
    public async Task<AutomaticRotationResult> ExecuteAsync(ClaimsPrincipal user, AutomaticRotationPlan plan, string? typedConfirmation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var who = DashboardUser.From(user);
        var refusal = await RefusalAsync(user);
        if (refusal is null && !string.Equals(who.Name, plan.PlannedBy.Name, StringComparison.Ordinal))
            refusal = $"This plan was made by {plan.PlannedBy.Name}; {who.Name} must plan it again.";
        if (refusal is null && !plan.CanExecute)
            refusal = plan.Status == PlanStatus.NothingToDo ? "Nothing to do: every chosen key set already rotates as asked." : $"The plan cannot run: {string.Join(" ", plan.Problems)}";
        if (refusal is null && !plan.IsConfirmedBy(typedConfirmation))
            refusal = $"Type \"{plan.ConfirmationText}\" to confirm.";
        if (refusal is null && _time.GetUtcNow() - plan.PlannedAt > KeyOperations.PlanLifetime)
            refusal = $"This plan is older than {KeyOperations.PlanLifetime.TotalMinutes:0} minutes and the keys may have changed; plan again.";
        if (refusal is null && !_issued.TryRemove(plan.Id, out _))
            refusal = "This plan was already executed, or was not issued here; plan again.";
        if (refusal is not null)
        {
            var refusedId = await AppendAsync(plan, who, ActionOutcome.Refused.ToString(), refusal, cancellationToken);
            _logger.LogWarning("Refused bulk automatic rotation for {User}: {Reason}", who.Name, refusal);
            return new AutomaticRotationResult(ActionOutcome.Refused, refusal, [], refusedId);
        }

        var changing = plan.Changing;
        var journalId = await AppendAsync(plan, who, Started,
            $"Automatic rotation every {plan.PeriodInDays} days for {Count(changing.Count, "key set")}: started.", cancellationToken);
        if (journalId is null)
        {
            const string noJournal = "The journal could not be written, so nothing was sent.";
            return new AutomaticRotationResult(ActionOutcome.Failed, noJournal, [], null);
        }

        var outcomes = new ConcurrentDictionary<(string Account, string KeyId), (KeySetRotationOutcome Outcome, IReadOnlyList<CallOutcome> Calls)>();
        await Task.WhenAll(changing.GroupBy(c => c.PrimaryRegion, StringComparer.Ordinal).Select(async region =>
        {
            foreach (var change in region)
            {
                var result = await ExecuteKeySetAsync(user, change, cancellationToken);
                outcomes[(change.Account, change.KeyId)] = result;
            }
        }));

        var ordered = changing.Select(c => outcomes[(c.Account, c.KeyId)]).ToList();
        var succeeded = ordered.Count(o => o.Outcome.Outcome == ActionOutcome.Succeeded);
        var overall = succeeded == ordered.Count ? ActionOutcome.Succeeded : succeeded == 0 ? ActionOutcome.Failed : ActionOutcome.PartiallySucceeded;
        var summary = overall == ActionOutcome.Succeeded
            ? $"Automatic rotation every {plan.PeriodInDays} days: {Count(succeeded, "key set")} done."
            : $"Automatic rotation every {plan.PeriodInDays} days: {succeeded} of {ordered.Count} key sets done; not done: " +
              string.Join("; ", ordered.Where(o => o.Outcome.Outcome != ActionOutcome.Succeeded).Select(o => $"{o.Outcome.Name} ({o.Outcome.Region}): {o.Outcome.Message}"));
        var step = 0;
        var calls = ordered.SelectMany(o => o.Calls).Select(c => new JournalCall
        {
            Step = ++step, Region = c.Region, Operation = c.Operation, Status = c.Status.ToString(), Message = c.Message, RequestId = c.RequestId,
        }).ToList();
        try
        {
            await _journal.CompleteAsync(journalId.Value, overall.ToString(), summary, calls, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The calls were made; a journal failure is logged loudly rather than hiding that.
            _logger.LogError(ex, "Could not complete journal entry {Id} of the bulk automatic rotation by {User} ({Outcome}: {Summary})", journalId, who.Name, overall, summary);
        }
        _logger.LogInformation("Bulk automatic rotation by {User}: {Outcome}, {Succeeded} of {Count} key sets", who.Name, overall, succeeded, ordered.Count);
        return new AutomaticRotationResult(overall, summary, [.. ordered.Select(o => o.Outcome)], journalId);
    }

    private async Task<(KeySetRotationOutcome, IReadOnlyList<CallOutcome>)> ExecuteKeySetAsync(ClaimsPrincipal user, KeySetRotationChange change, CancellationToken ct)
    {
        try
        {
            var result = await _operations.ExecuteAsync(user, change.Action!, null, ct);
            var failed = result.Calls.FirstOrDefault(c => c.Status != CallStatus.Succeeded);
            var message = result.Outcome switch
            {
                ActionOutcome.Succeeded => change.WasEnabled ? $"Now rotates every {change.PeriodInDays} days." : $"Rotation on, every {change.PeriodInDays} days; next about {change.NextRotationDate:yyyy-MM-dd}.",
                _ => failed?.Message ?? result.Summary,
            };
            return (new KeySetRotationOutcome(change.KeyId, change.Name, change.PrimaryRegion, result.Outcome, message,
                result.Calls.Select(c => c.RequestId).FirstOrDefault(r => r is not null), result.JournalEntryId, change.Account), result.Calls);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // One key set failing in an unexpected way must not stop the others.
            _logger.LogError(ex, "Automatic rotation of {KeyId} in {Region} failed", change.KeyId, change.PrimaryRegion);
            return (new KeySetRotationOutcome(change.KeyId, change.Name, change.PrimaryRegion, ActionOutcome.Failed, ex.Message, null, null, change.Account), []);
        }
    }

    private async Task<string?> RefusalAsync(ClaimsPrincipal user)
    {
        if (_operations.IsReadOnly) return $"The dashboard is read-only ({SafetyOptions.Section}:ReadOnly): no key can be changed.";
        var policy = KeyActionRules.PolicyFor(KeyAction.EnableRotation);
        if ((await _authorization.AuthorizeAsync(user, policy)).Succeeded) return null;
        var who = DashboardUser.From(user);
        var needed = string.Join(" or ", DashboardPolicies.Roles[policy]);
        return user.Identity?.IsAuthenticated == true
            ? $"{who.Name} ({(who.Roles.Count == 0 ? "no dashboard role" : string.Join(", ", who.Roles))}) may not change automatic rotation: it needs the role {needed}."
            : $"Sign in to change automatic rotation: it needs the role {needed}.";
    }

    private async Task<long?> AppendAsync(AutomaticRotationPlan plan, DashboardUser who, string outcome, string summary, CancellationToken cancellationToken)
    {
        var entry = new JournalEntry
        {
            At = _time.GetUtcNow().UtcDateTime,
            User = who.Name,
            Roles = string.Join(",", who.Roles),
            Action = JournalAction,
            KeyId = string.Join(", ", plan.Changing.Count > 0 ? plan.Changing.Select(c => c.KeyId) : plan.Request.KeyIds ?? []),
            Region = string.Join(", ", plan.Changing.Select(c => c.PrimaryRegion).Distinct(StringComparer.Ordinal)),
            Outcome = outcome,
            Summary = summary,
            Inputs = JsonSerializer.Serialize(plan.Request, Json),
            Plan = JsonSerializer.Serialize(new
            {
                plan.PlannedAt,
                Status = plan.Status.ToString(),
                plan.PeriodInDays,
                plan.Problems,
                plan.MonthlyIncreaseUsd,
                KeySets = plan.Changes.Select(c => PlannedKeySet(c)),
            }, Json),
        };
        try
        {
            return await _journal.AppendAsync(entry, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not journal the bulk automatic rotation by {User} ({Outcome}: {Summary})", who.Name, outcome, summary);
            return null;
        }
    }

    /// <summary>A key set as the journal's plan records it; the account only when the dashboard reads several.</summary>
    private static object PlannedKeySet(KeySetRotationChange c)
    {
        var node = JsonSerializer.SerializeToNode(new
        {
            c.KeyId, c.Name, c.PrimaryRegion, c.Regions, Kind = c.Kind.ToString(), c.Summary, c.NextRotationDate, c.RotationsSoFar,
            Cost = c.Cost?.Text, Calls = c.Calls.Select(k => new { k.Region, k.Operation, k.Parameters }),
        }, Json)!.AsObject();
        if (c.Account.Length > 0) node.Insert(1, "Account", c.Account);
        return node;
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
