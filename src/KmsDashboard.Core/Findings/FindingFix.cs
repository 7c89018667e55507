using KmsDashboard.Core.Actions;

namespace KmsDashboard.Core.Findings;

/// <summary>
/// What fixes a finding in the dashboard: a guarded key action on one key (opened in the action dialog, which plans,
/// asks for confirmation and journals), or a page (a wizard, the key page) to go to. Null members mean none applies.
/// </summary>
public sealed record FindingFix(KeyAction? Action, string? Region, string? Link, string Label);
