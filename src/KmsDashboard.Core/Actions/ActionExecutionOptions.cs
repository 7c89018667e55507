namespace KmsDashboard.Core.Actions;

/// <summary>The <c>Actions</c> section: how long planning and executing an action may take, and how many plans wait for confirmation.</summary>
public sealed class ActionExecutionOptions
{
    public const string Section = "Actions";

    /// <summary>An action's calls must all be answered within this; the rest are not sent, an unanswered one is "unknown — verify".</summary>
    public int TimeoutSeconds { get; set; } = 120;

    /// <summary>Reading the state a plan is made from may take this long.</summary>
    public int PlanTimeoutSeconds { get; set; } = 60;

    /// <summary>Plans issued and not yet executed that are kept (oldest dropped first); expired ones are dropped anyway.</summary>
    public int MaxIssuedPlans { get; set; } = 10_000;
}
