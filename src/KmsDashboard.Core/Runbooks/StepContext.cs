using System.Text.Json;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.S3;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Dependents;
using KmsDashboard.Core.Usage;

namespace KmsDashboard.Core.Runbooks;

/// <summary>
/// What a step sees while planning or executing: the runbook's inputs and state, KMS per Region, usage and CloudTrail
/// readers, and <see cref="CallAsync"/>, which records each AWS call's intent before sending it and its answer after.
/// </summary>
public sealed class StepContext
{
    private readonly AwsClients _clients;
    private readonly AwsClients _writes;
    private readonly RunbookStore _store;
    private readonly TimeProvider _time;
    private readonly RunbookService _service;
    private readonly List<RegionResult> _regions = [];

    internal StepContext(RunbookRecord runbook, RunbookStepRecord step, RunbookDefinition definition, object state, RunbookInputs inputs,
        RunbookUser user, TimeProvider time, AwsClients clients, RunbookStore store, UsageReader usage, CloudTrailClients cloudTrail,
        RunbookOptions options, IReadOnlyList<RunbookCallRecord> calls, RunbookService service, Aws.Accounts.AwsAccount? account = null, AwsClients? writes = null)
    {
        Account = account;
        _writes = writes ?? clients;
        Runbook = runbook;
        Step = step;
        Definition = definition;
        State = state;
        Inputs = inputs;
        User = user;
        _time = time;
        _clients = clients;
        _store = store;
        Usage = usage;
        CloudTrail = cloudTrail;
        Options = options;
        PreviousCalls = calls;
        _service = service;
    }

    public RunbookRecord Runbook { get; }
    public RunbookStepRecord Step { get; }
    public RunbookDefinition Definition { get; }
    public object State { get; }
    public RunbookInputs Inputs { get; }
    public RunbookUser User { get; }

    /// <summary>
    /// The account the runbook works in (null or the default account: the dashboard's own). Reads use its read role; the
    /// calls sent through <see cref="CallAsync"/>, <see cref="CallS3Async"/> and <see cref="S3Writes"/> act in the user's name.
    /// </summary>
    public Aws.Accounts.AwsAccount? Account { get; }

    /// <summary>Whether the user holds the Admin policy (overrides need it).</summary>
    public bool UserMayAdminister { get; init; }
    public DateTimeOffset Now => _time.GetUtcNow();
    public UsageReader Usage { get; }
    public CloudTrailClients CloudTrail { get; }
    public RunbookOptions Options { get; }
    public IReadOnlyList<string> ConfiguredRegions => _clients.Regions;

    /// <summary>Every call the runbook recorded before this step began (to find an answer a crash lost).</summary>
    public IReadOnlyList<RunbookCallRecord> PreviousCalls { get; }

    /// <summary>The AWS request ids of calls this run of the step made.</summary>
    public List<RunbookCallRecord> Calls { get; } = [];

    public IReadOnlyList<RegionResult> Regions => _regions;

    /// <summary>Sets a forward step back to pending, saying why (e.g. disable again after a re-enable).</summary>
    public Task ReopenStepAsync(string name, string why, CancellationToken cancellationToken) => _service.ReopenAsync(Runbook, name, why, cancellationToken);

    public TState StateAs<TState>() => (TState)State;

    public TInputs InputsAs<TInputs>() where TInputs : RunbookInputs => (TInputs)Inputs;

    public IAmazonKeyManagementService Kms(string region) => _clients.Kms(region);

    /// <summary>S3 for buckets of <paramref name="region"/> (reads).</summary>
    public IAmazonS3 S3(string region) => _clients.S3(region);

    /// <summary>S3 acting in the user's name (object copies, which are counted rather than recorded one by one).</summary>
    public IAmazonS3 S3Writes(string region) => _writes.S3(region);

    /// <summary>The runbook's account's part of the dependents model's bucket catalog (default encryption and replication rules of every bucket).</summary>
    public Dependents.AccountBucketCatalog? Buckets { get; init; }

    internal Actions.KmsReader Reader => new(_clients);

    /// <summary>Records how the step went in a Region (a later report for the same Region replaces the earlier one).</summary>
    public void Report(string region, string state, string message)
    {
        _regions.RemoveAll(r => r.Region == region);
        _regions.Add(new RegionResult(region, state, message));
    }

    /// <summary>
    /// Re-reads the replicas of <paramref name="keyId"/> in <paramref name="regions"/> until each has left Creating or
    /// <see cref="RunbookOptions.ReplicaWait"/> passed, reporting each Region (Done, Failed, or Waiting: run again).
    /// </summary>
    public async Task WaitForReplicasAsync(string keyId, IEnumerable<string> regions, CancellationToken cancellationToken)
    {
        var waiting = regions.ToList();
        var deadline = DateTime.UtcNow + Options.ReplicaWait;
        while (waiting.Count > 0)
        {
            foreach (var region in waiting.ToList())
            {
                try
                {
                    var replica = await Reader.DescribeAsync(region, keyId, cancellationToken);
                    if (replica is null || replica.State == "Creating") continue;
                    Report(region, replica.State == "Enabled" ? RegionResult.Done : RegionResult.Failed, $"Replica {replica.State}.");
                    waiting.Remove(region);
                }
                catch (Exception ex) when (IsAwsFailure(ex, cancellationToken))
                {
                    Report(region, RegionResult.Failed, Describe(ex));
                    waiting.Remove(region);
                }
            }
            if (waiting.Count == 0 || DateTime.UtcNow >= deadline) break;
            await Task.Delay(Options.ReplicaPoll, cancellationToken);
        }
        foreach (var region in waiting) Report(region, RegionResult.Waiting, "Still Creating: run the step again to check.");
    }

    /// <summary>Persists the runbook's state now, so a crash after this point keeps what the step learned (e.g. the new key id).</summary>
    public Task SaveStateAsync(CancellationToken cancellationToken) =>
        _store.SaveStateAsync(Runbook.Id, JsonSerializer.Serialize(State, Definition.StateType, RunbookStore.Json), Now, cancellationToken);

    /// <summary>
    /// Sends one AWS call: writes its intent (Sent) first, then its answer (Succeeded with the request id, or Failed).
    /// AWS failures are recorded and rethrown for the step to report per Region.
    /// </summary>
    public Task<TResponse> CallAsync<TResponse>(string region, string operation, string parameters,
        Func<IAmazonKeyManagementService, CancellationToken, Task<TResponse>> send, CancellationToken cancellationToken,
        Func<TResponse, string>? describe = null)
        where TResponse : AmazonWebServiceResponse =>
        SendAsync(region, operation, parameters, ct => send(_writes.Kms(region), ct), cancellationToken, describe);

    /// <summary>As <see cref="CallAsync"/>, for an S3 call in the bucket's Region.</summary>
    public Task<TResponse> CallS3Async<TResponse>(string region, string operation, string parameters,
        Func<IAmazonS3, CancellationToken, Task<TResponse>> send, CancellationToken cancellationToken,
        Func<TResponse, string>? describe = null)
        where TResponse : AmazonWebServiceResponse =>
        SendAsync(region, operation, parameters, ct => send(_writes.S3(region), ct), cancellationToken, describe);

    private async Task<TResponse> SendAsync<TResponse>(string region, string operation, string parameters,
        Func<CancellationToken, Task<TResponse>> send, CancellationToken cancellationToken, Func<TResponse, string>? describe)
        where TResponse : AmazonWebServiceResponse
    {
        var record = new RunbookCallRecord
        {
            RunbookId = Runbook.Id, StepIndex = Step.Index, Region = region, Operation = operation, Parameters = parameters,
            State = "Sent", UserName = User.Name, SentAt = Now.UtcDateTime,
        };
        await _store.AddCallAsync(record, cancellationToken);
        Calls.Add(record);
        try
        {
            var response = await send(cancellationToken);
            record.State = "Succeeded";
            record.Message = describe?.Invoke(response) ?? "Succeeded.";
            record.RequestId = response.ResponseMetadata?.RequestId;
            return response;
        }
        catch (Exception ex) when (IsAwsFailure(ex, cancellationToken))
        {
            record.State = "Failed";
            record.Message = Describe(ex);
            record.RequestId = (ex as AmazonServiceException)?.RequestId is { Length: > 0 } id ? id : null;
            throw;
        }
        finally
        {
            record.AnsweredAt = Now.UtcDateTime;
            await _store.UpdateCallAsync(record, CancellationToken.None);
        }
    }

    /// <summary>An AWS or network failure a step reports for its Region (not a bug, not the caller's cancellation).</summary>
    public static bool IsAwsFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is AmazonServiceException or AmazonClientException or HttpRequestException or AwsServiceException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    public static string Describe(Exception ex) => ex switch
    {
        AmazonServiceException { ErrorCode: { Length: > 0 } code } s => $"{code}: {s.Message}",
        AwsServiceException a => $"{a.ErrorCode}: {a.Message}",
        _ => ex.Message,
    };

    public static string ErrorCode(Exception ex) => ex switch
    {
        AmazonServiceException s => s.ErrorCode ?? "",
        AwsServiceException a => a.ErrorCode,
        _ => "",
    };
}
