namespace KmsDashboard.Core.Approvals;

/// <summary>Where a request stands. Only <see cref="Pending"/> can be approved, rejected or withdrawn.</summary>
public enum ApprovalStatus
{
    /// <summary>Waiting for another Admin.</summary>
    Pending,
    /// <summary>Approved; its plan is running now.</summary>
    Approved,
    /// <summary>Approved and run: <see cref="ApprovalRequest.Outcome"/> says how it went.</summary>
    Executed,
    /// <summary>Another Admin said no.</summary>
    Rejected,
    /// <summary>The requester took it back.</summary>
    Withdrawn,
    /// <summary>Nobody approved it within <c>Safety:ApprovalTtlMinutes</c>.</summary>
    Expired,
    /// <summary>At approval the keys no longer matched the request (other calls would be sent): refused, request again.</summary>
    Invalidated,
}
