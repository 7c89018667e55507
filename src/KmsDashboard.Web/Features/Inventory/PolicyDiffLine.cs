namespace KmsDashboard.Web.Features.Inventory;

/// <summary>One line of a key policy compared with the primary's: unchanged, only in the primary, or only here.</summary>
public sealed record PolicyDiffLine(PolicyDiffKind Kind, string Text);
