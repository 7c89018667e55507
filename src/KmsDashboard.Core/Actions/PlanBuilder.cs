using Amazon.KeyManagementService;
using Amazon.Runtime;
using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Actions;

/// <summary>Fills an <see cref="ActionPlan"/> while a planner reads state.</summary>
internal sealed class PlanBuilder(ActionPlan plan, DateTimeOffset now)
{
    public ActionPlan Plan => plan;
    public DateTimeOffset Now => now;

    public void Refuse(string problem)
    {
        plan._problems.Add(problem);
        plan.Status = PlanStatus.PreconditionFailed;
    }

    public void Note(string note) => plan._notes.Add(note);
    public void Blast(string line) => plan._blastRadius.Add(line);
    public void Affects(string region, string keyId) { if (!plan._affected.Contains(new KeyRef(region, keyId, plan.Account))) plan._affected.Add(new KeyRef(region, keyId, plan.Account)); }
    public void ConfirmWith(string text) { if (!plan._confirmations.Contains(text)) plan._confirmations.Add(text); }

    public void Call<TResponse>(string region, string operation, string parameters, string purpose,
        Func<IAmazonKeyManagementService, CancellationToken, Task<TResponse>> send, bool dependsOnPreviousInRegion = false,
        bool dependsOnEarlierCalls = false)
        where TResponse : AmazonWebServiceResponse =>
        plan._calls.Add(new PlannedCall(plan._calls.Count + 1, region, operation, parameters, purpose)
        {
            Send = async (kms, ct) => await send(kms, ct),
            Request = PlannedRequest.Capture((kms, ct) => send(kms, ct)),
            DependsOnPreviousInRegion = dependsOnPreviousInRegion,
            DependsOnEarlierCalls = dependsOnEarlierCalls,
        });

    /// <summary>Settles the status: a plan with no problem and no call has nothing to do.</summary>
    public void Finish()
    {
        if (plan.Status == PlanStatus.Ready && plan._calls.Count == 0) plan.Status = PlanStatus.NothingToDo;
        if (plan.Status != PlanStatus.Ready) plan._calls.Clear();
    }
}
