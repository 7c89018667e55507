namespace KmsDashboard.Core.Security;

/// <summary>
/// The <c>Safety</c> section. <see cref="ReadOnly"/> makes Core refuse every write, whoever asks; <see cref="RequireApproval"/>
/// turns on the two-person rule for destructive actions.
/// </summary>
public sealed class SafetyOptions
{
    public const string Section = "Safety";

    public const int MinApprovalTtlMinutes = 5, MaxApprovalTtlMinutes = 7 * 24 * 60;

    public bool ReadOnly { get; set; }

    /// <summary>
    /// The two-person rule: disable, schedule deletion, change of primary and the runbooks' disable/schedule-deletion steps
    /// are requested by one Admin and run only once a different Admin approves. Unset: on when OpenID Connect sign-in is
    /// configured, off with the local sign-in alone (the app decides at start; Core alone treats unset as off).
    /// </summary>
    public bool? RequireApproval { get; set; }

    /// <summary>How long a request waits for its approval before it expires (<see cref="MinApprovalTtlMinutes"/>–<see cref="MaxApprovalTtlMinutes"/>).</summary>
    public int ApprovalTtlMinutes { get; set; } = 60;

    /// <summary>Whether the two-person rule is on (unset counts as off here).</summary>
    public bool ApprovalRequired => RequireApproval == true;
}
