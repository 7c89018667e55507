namespace KmsDashboard.Core.Actions;

/// <summary>A key action planned from a <typeparamref name="TRequest"/>.</summary>
public abstract class KeyAction<TRequest> : KeyAction where TRequest : KeyActionRequest
{
    public sealed override Type RequestType => typeof(TRequest);

    /// <summary>The action's own input checks; add each problem to <paramref name="validation"/>.</summary>
    internal virtual void Validate(TRequest request, ActionValidation validation) { }

    /// <summary>Reads fresh state and fills the plan through <paramref name="planning"/>.</summary>
    internal abstract Task PlanAsync(ActionPlanning planning, TRequest request, CancellationToken cancellationToken);

    internal sealed override void Validate(KeyActionRequest request, ActionValidation validation) => Validate((TRequest)request, validation);

    internal sealed override Task PlanAsync(ActionPlanning planning, KeyActionRequest request, CancellationToken cancellationToken) =>
        PlanAsync(planning, (TRequest)request, cancellationToken);
}
