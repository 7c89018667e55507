namespace KmsDashboard.Core.Actions;

/// <summary>
/// One input of an action, described so the dialog can render it without knowing the action: kind, label, range, help,
/// choices, its first value and the Core rule that checks it as it is typed.
/// </summary>
/// <param name="Name">The key of its value in <see cref="ActionInputValues"/>.</param>
public sealed record ActionInput(string Name, ActionInputKind Kind, string Label)
{
    /// <summary>The element id of the input (tests and the confirmation flow find it by this).</summary>
    public string? ElementId { get; init; }

    public string? Help { get; init; }

    /// <summary>A <see cref="ActionInputKind.Number"/>'s range; shown and checked by Core, not clamped by the field.</summary>
    public int? Min { get; init; }
    public int? Max { get; init; }

    /// <summary>Rows of a <see cref="ActionInputKind.Lines"/> input.</summary>
    public int Lines { get; init; } = 4;

    /// <summary>The choices of a <see cref="ActionInputKind.Choice"/> or <see cref="ActionInputKind.Regions"/> input.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>What a <see cref="ActionInputKind.Regions"/> input says when there is nothing to choose.</summary>
    public string? NoOptionsText { get; init; }

    /// <summary>
    /// A <see cref="ActionInputKind.Regions"/> input whose choices are the plan's <see cref="ActionPlan.ReplicaRegions"/>:
    /// shown once a plan names some.
    /// </summary>
    public bool OptionsFromPlan { get; init; }

    /// <summary>The attribute naming each choice of a <see cref="ActionInputKind.Regions"/> input (<c>data-…</c>).</summary>
    public string OptionAttribute { get; init; } = "data-region";

    /// <summary>The value the dialog opens with (string, int, bool or a list of strings, as <see cref="Kind"/> says).</summary>
    public object? Initial { get; init; }

    /// <summary>Send every keystroke (with <see cref="DebounceMilliseconds"/>), so <see cref="Check"/> answers as it is typed.</summary>
    public bool Immediate { get; init; }
    public int DebounceMilliseconds { get; init; }

    /// <summary>Core's own rule for the value as it stands, before any plan: a message, or null when fine.</summary>
    public Func<object?, string?>? Check { get; init; }

    /// <summary>The element id of <see cref="Check"/>'s message.</summary>
    public string? ProblemElementId { get; init; }
}
