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
    private readonly KmsReader _reader;
    private readonly IAuthorizationService _authorization;
    private readonly ActionJournal _journal;
    private readonly KeyInventory _inventory;
    private readonly IOptionsMonitor<SafetyOptions> _safety;
    private readonly TimeProvider _time;
    private readonly ILogger<KeyOperations> _logger;
    private readonly ConcurrentDictionary<Guid, ActionPlan> _issued = new();
    private readonly IKeyDependentsRadius? _dependents;
    private readonly KeyActionCatalog _catalog;

    public KeyOperations(AwsClients clients, IAuthorizationService authorization, ActionJournal journal, KeyInventory inventory,
        IOptionsMonitor<SafetyOptions> safety, TimeProvider time, ILogger<KeyOperations> logger, IKeyDependentsRadius? dependents = null,
        KeyActionCatalog? catalog = null)
    {
        _dependents = dependents;
        _catalog = catalog ?? KeyActionCatalog.BuiltIn;
        _clients = clients;
        _reader = new KmsReader(clients);
        _authorization = authorization;
        _journal = journal;
        _inventory = inventory;
        _safety = safety;
        _time = time;
        _logger = logger;
    }

    /// <summary><c>Safety:ReadOnly</c>: every write is refused.</summary>
    public bool IsReadOnly => _safety.CurrentValue.ReadOnly;

    /// <summary>The Regions actions may address (the configured ones).</summary>
    public IReadOnlyList<string> Regions => _clients.Regions;

    /// <summary>Every action this path plans, in the action bar's order.</summary>
    public IReadOnlyList<KeyAction> Actions => _catalog.All;

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

        var problems = Validate(request, out var keyId, out var region);
        (plan.KeyId, plan.Region) = (keyId, region);
        if (problems.Count > 0)
        {
            plan.Status = PlanStatus.Invalid;
            plan._problems.AddRange(problems);
            return plan;
        }

        var builder = new PlanBuilder(plan, _time.GetUtcNow());
        try
        {
            await PlanCoreAsync(builder, request, keyId, region, cancellationToken);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            builder.Refuse($"Reading the current state failed, so nothing can be planned: {Describe(ex)}");
        }
        builder.Finish();
        if (plan.Status == PlanStatus.Ready) _issued[plan.Id] = plan;
        return plan;
    }

    /// <summary>
    /// Runs a plan issued by <see cref="PlanAsync"/> to the same user, once: authorizes again, checks the typed
    /// confirmation, sends the calls Region by Region (one failing does not stop or hide the others), journals the
    /// outcome with AWS request ids, and re-reads the affected keys.
    /// </summary>
    public async Task<ActionResult> ExecuteAsync(ClaimsPrincipal user, ActionPlan plan, string? typedConfirmation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        using var activity = Telemetry.DashboardTelemetry.StartAction(plan.Action.ToString(), plan.KeyId, plan.Region);
        var who = DashboardUser.From(user);
        var refusal = await RefusalAsync(user, plan.Action);
        if (refusal is null && !string.Equals(who.Name, plan.PlannedBy.Name, StringComparison.Ordinal))
            refusal = $"This plan was made by {plan.PlannedBy.Name}; {who.Name} must plan it again.";
        if (refusal is null && !plan.CanExecute)
            refusal = plan.Status == PlanStatus.NothingToDo ? "Nothing to do: the keys already are as asked." : $"The plan cannot run: {string.Join(" ", plan.Problems)}";
        if (refusal is null && !plan.IsConfirmedBy(typedConfirmation))
            refusal = $"Type the key id ({plan.KeyId}) or one of its aliases to confirm.";
        if (refusal is null && !_issued.TryRemove(plan.Id, out _))
            refusal = "This plan was already executed, or was not issued here; plan again.";
        if (refusal is null && _time.GetUtcNow() - plan.PlannedAt > PlanLifetime)
            refusal = $"This plan is older than {PlanLifetime.TotalMinutes:0} minutes and the keys may have changed; plan again.";
        if (refusal is not null)
        {
            var id = await JournalAsync(plan, who, ActionOutcome.Refused, refusal, [], cancellationToken);
            _logger.LogWarning("Refused executing {Action} of {KeyId} for {User}: {Reason}", plan.Action, plan.KeyId, who.Name, refusal);
            return new ActionResult(ActionOutcome.Refused, refusal, [], id);
        }

        var outcomes = new List<CallOutcome>();
        var failedRegions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var call in plan.Calls)
        {
            if (call.DependsOnPreviousInRegion && failedRegions.Contains(call.Region))
            {
                outcomes.Add(new CallOutcome(call.Step, call.Region, call.Operation, CallStatus.Skipped, "Not sent: the previous call in this Region failed.", null));
                continue;
            }
            var outcome = await SendAsync(call, cancellationToken);
            if (outcome.Status != CallStatus.Succeeded) failedRegions.Add(call.Region);
            outcomes.Add(outcome);
            _logger.LogInformation("{Operation} in {Region} for {KeyId} by {User}: {Status} {RequestId}",
                call.Operation, call.Region, plan.KeyId, who.Name, outcome.Status, outcome.RequestId);
        }

        var succeeded = outcomes.Count(o => o.Status == CallStatus.Succeeded);
        var result = succeeded == outcomes.Count ? ActionOutcome.Succeeded : succeeded == 0 ? ActionOutcome.Failed : ActionOutcome.PartiallySucceeded;
        var summary = result switch
        {
            ActionOutcome.Succeeded => $"{plan.Title} of {plan.KeyId}: done ({Count(outcomes.Count, "call")} succeeded).",
            ActionOutcome.Failed => $"{plan.Title} of {plan.KeyId} failed: " + string.Join(" ", outcomes.Select(o => $"{o.Region}: {o.Message}")),
            _ => $"{plan.Title} of {plan.KeyId}: {succeeded} of {outcomes.Count} calls succeeded; failed in " +
                 string.Join(", ", outcomes.Where(o => o.Status != CallStatus.Succeeded).Select(o => o.Region).Distinct()) + ".",
        };
        var journalId = await JournalAsync(plan, who, result, summary, outcomes, cancellationToken);

        try
        {
            await _inventory.RefreshKeysAsync(plan.AffectedKeys, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "Could not refresh the inventory after {Action} of {KeyId}", plan.Action, plan.KeyId);
        }
        return new ActionResult(result, summary, outcomes, journalId);
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

    private async Task<CallOutcome> SendAsync(PlannedCall call, CancellationToken cancellationToken)
    {
        try
        {
            var response = await call.Send(_clients.Kms(call.Region), cancellationToken);
            return new CallOutcome(call.Step, call.Region, call.Operation, CallStatus.Succeeded, "Succeeded.", response.ResponseMetadata?.RequestId);
        }
        catch (AmazonServiceException ex)
        {
            return new CallOutcome(call.Step, call.Region, call.Operation, CallStatus.Failed, Describe(ex), string.IsNullOrEmpty(ex.RequestId) ? null : ex.RequestId);
        }
        catch (Exception ex) when (ex is AmazonClientException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new CallOutcome(call.Step, call.Region, call.Operation, CallStatus.Failed, $"{call.Region} did not answer: {ex.Message}", null);
        }
    }

    internal static string Describe(Exception ex) => ex switch
    {
        AmazonServiceException { ErrorCode: { Length: > 0 } code } s => $"{code}: {s.Message}",
        _ => ex.Message,
    };

    private async Task<long?> JournalAsync(ActionPlan plan, DashboardUser who, ActionOutcome outcome, string summary, IReadOnlyList<CallOutcome> calls, CancellationToken cancellationToken)
    {
        Telemetry.DashboardTelemetry.RecordAction(plan.Action.ToString(), outcome.ToString());
        var entry = new JournalEntry
        {
            At = _time.GetUtcNow().UtcDateTime,
            User = who.Name,
            Roles = string.Join(",", who.Roles),
            Action = plan.Action.ToString(),
            KeyId = plan.KeyId,
            Region = plan.Region,
            Outcome = outcome.ToString(),
            Summary = summary,
            Inputs = JsonSerializer.Serialize(plan.Request, plan.Request.GetType(), Json),
            Plan = JsonSerializer.Serialize(new
            {
                plan.Title,
                PlannedAt = plan.PlannedAt,
                Status = plan.Status.ToString(),
                plan.Problems,
                plan.BlastRadius,
                plan.Notes,
                Calls = plan.Calls.Select(c => new { c.Step, c.Region, c.Operation, c.Parameters, c.Purpose }),
            }, Json),
            Calls = [.. calls.Select(c => new JournalCall { Step = c.Step, Region = c.Region, Operation = c.Operation, Status = c.Status.ToString(), Message = c.Message, RequestId = c.RequestId })],
        };
        try
        {
            return await _journal.AppendAsync(entry, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The action already happened (or was refused); a journal failure is logged loudly rather than hiding that.
            _logger.LogError(ex, "Could not journal {Action} of {KeyId} by {User} ({Outcome}: {Summary})", entry.Action, entry.KeyId, entry.User, entry.Outcome, summary);
            return null;
        }
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
