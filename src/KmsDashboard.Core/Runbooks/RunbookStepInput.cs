namespace KmsDashboard.Core.Runbooks;

/// <summary>
/// A value the operator gives when planning a step (a waiting period, a deletion window, an override reason), declared by
/// the step in <see cref="RunbookStep.Inputs"/>: the runbook page shows a field for it and the step reads it back from
/// <see cref="RunbookStepOptions"/> by <see cref="Key"/>, which is also the field's id. A whole number when it has bounds.
/// </summary>
public sealed record RunbookStepInput(string Key, string Label, string HelperText)
{
    public int? Min { get; init; }
    public int? Max { get; init; }
    /// <summary>The number used (and shown) when the operator gives none.</summary>
    public int? Default { get; init; }
    /// <summary>Shown only to an Admin once the plan was refused with an override possible (the drain check).</summary>
    public bool OverrideOnly { get; init; }

    public bool IsNumber => Min is not null || Max is not null;
}
