using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Runbooks;

namespace KmsDashboard.Core.Approvals;

/// <summary>
/// What a request, approval, rejection or withdrawal came to: done or refused (with the message), the request as it now
/// stands, and — for an approval — how the run went.
/// </summary>
public sealed record ApprovalOutcome(bool Done, string Message, ApprovalRequest? Request)
{
    public ActionResult? ActionResult { get; init; }
    public StepRunResult? StepResult { get; init; }

    public static ApprovalOutcome Refused(string message, ApprovalRequest? request = null) => new(false, message, request);
}
