using KmsDashboard.Core.Actions.Definitions;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Security;

namespace KmsDashboard.Core.Actions;

/// <summary>
/// One key action, in one home: its name and title, who may take it, which key states offer it, its inputs (described so
/// the UI can render them), their validation and its plan. Every concrete subclass in Core is discovered by
/// <see cref="KeyActionCatalog"/>; <see cref="KeyOperations"/> plans and executes each through the same guarded path, and
/// the journal, the action bar and the action dialog read everything they show from here.
/// </summary>
/// <remarks>Derive from <see cref="KeyAction{TRequest}"/>; equality is by <see cref="Name"/>.</remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(KeyActionJsonConverter))]
public abstract class KeyAction : IEquatable<KeyAction>, IComparable<KeyAction>
{
    private protected KeyAction() { }

    /// <summary>Stable identity: the journal's Action column and the dialog's <c>data-action</c>. Never rename one.</summary>
    public abstract string Name { get; }

    public abstract string Title { get; }

    /// <summary>Destructive actions need the Admin role and the key id or an alias typed to confirm.</summary>
    public virtual bool IsDestructive => false;

    /// <summary>The policy the signed-in user must satisfy, checked by Core when planning and again when executing.</summary>
    public string Policy => IsDestructive ? DashboardPolicies.CanAdminister : DashboardPolicies.CanOperate;

    /// <summary>The <see cref="KeyActionRequest"/> type this action plans.</summary>
    public abstract Type RequestType { get; }

    /// <summary>Refused for single-Region keys at validation, before anything is read.</summary>
    public virtual bool NeedsMultiRegionKey => false;

    // ── Where the key page's action bar shows it ────────────────────────────────────────────────────────────────

    /// <summary>The position in the bar (and in lists of actions); a menu's items follow their own order inside it.</summary>
    public abstract int Order { get; }

    /// <summary>The element id of its button or menu item (<c>action-…</c>).</summary>
    public abstract string ElementId { get; }

    /// <summary>The menu it sits in, or null for a button of its own.</summary>
    public virtual ActionMenu? Menu => null;

    /// <summary>A Material icon name (<c>Icons.Material.Filled.*</c>) for its button.</summary>
    public virtual string Icon => "PlayArrow";

    /// <summary>Its button or menu item's text for this key.</summary>
    public virtual string BarLabel(KeyActionTarget target) => Title;

    /// <summary>Whether it concerns this key at all (e.g. only a Disabled key is offered Enable); no reason is shown when not.</summary>
    public virtual bool AppliesTo(KeyActionTarget target) => true;

    /// <summary>
    /// Why it cannot succeed in the key set's current states (AWS would refuse it with KMSInvalidStateException), for the
    /// key set whose primary is <paramref name="primary"/>; null when it can. The bar says why it is not offered.
    /// </summary>
    public virtual string? Unavailable(RegionalKey primary) => null;

    // ── The dialog ───────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>The inputs the dialog renders for this key, with their first values.</summary>
    public virtual IReadOnlyList<ActionInput> Inputs(KeyActionTarget target) => [];

    /// <summary>The request for the dialog's values; null with <paramref name="inputError"/> when the values cannot make one.</summary>
    public abstract KeyActionRequest? CreateRequest(KeyActionTarget target, ActionInputValues values, out string? inputError);

    // ── The guarded path (KeyOperations) ────────────────────────────────────────────────────────────────────────

    /// <summary>The action's own input checks, after the key id and Region were checked; nothing is sent on a problem.</summary>
    internal abstract void Validate(KeyActionRequest request, ActionValidation validation);

    /// <summary>Reads fresh state and fills the plan: preconditions, blast radius, notes and the exact calls.</summary>
    internal abstract Task PlanAsync(ActionPlanning planning, KeyActionRequest request, CancellationToken cancellationToken);

    // ── Identity ────────────────────────────────────────────────────────────────────────────────────────────────

    public bool Equals(KeyAction? other) => other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal);
    public override bool Equals(object? obj) => obj is KeyAction other && Equals(other);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);
    public int CompareTo(KeyAction? other) => other is null ? 1 : Order != other.Order ? Order.CompareTo(other.Order) : string.CompareOrdinal(Name, other.Name);
    public static bool operator ==(KeyAction? left, KeyAction? right) => left is null ? right is null : left.Equals(right);
    public static bool operator !=(KeyAction? left, KeyAction? right) => !(left == right);
    public override string ToString() => Name;

    /// <summary>The one instance of an action type (what its request's <see cref="KeyActionRequest.Action"/> returns).</summary>
    public static TAction Of<TAction>() where TAction : KeyAction, new() => Instance<TAction>.Value;

    private static class Instance<TAction> where TAction : KeyAction, new()
    {
        public static readonly TAction Value = new();
    }

    // The built-in actions by name, for callers that name one (requests, the rotation service). A new action needs none.
    public static KeyAction Replicate => Of<ReplicateKeyAction>();
    public static KeyAction ChangePrimaryRegion => Of<ChangePrimaryRegionAction>();
    public static KeyAction EnableKey => Of<EnableKeyAction>();
    public static KeyAction DisableKey => Of<DisableKeyAction>();
    public static KeyAction EnableRotation => Of<EnableRotationAction>();
    public static KeyAction DisableRotation => Of<DisableRotationAction>();
    public static KeyAction RotateNow => Of<RotateNowAction>();
    public static KeyAction ScheduleDeletion => Of<ScheduleDeletionAction>();
    public static KeyAction CancelDeletion => Of<CancelDeletionAction>();
    public static KeyAction CreateAlias => Of<CreateAliasAction>();
    public static KeyAction UpdateAlias => Of<UpdateAliasAction>();
    public static KeyAction DeleteAlias => Of<DeleteAliasAction>();
    public static KeyAction AlignAlias => Of<AlignAliasAction>();
    public static KeyAction EditTags => Of<EditTagsAction>();
    public static KeyAction EditDescription => Of<EditDescriptionAction>();
    public static KeyAction CopyPrimaryProperties => Of<CopyPrimaryPropertiesAction>();
}
