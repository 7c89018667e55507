namespace KmsDashboard.Core.Rotation;

/// <summary>What the bulk automatic-rotation plan does to one key set.</summary>
public enum RotationChangeKind
{
    /// <summary>Rotation is off and will be turned on.</summary>
    TurnOn,
    /// <summary>Rotation is on with another period, which will change.</summary>
    ChangePeriod,
    /// <summary>It already rotates with this period: no call.</summary>
    NoChange,
    /// <summary>KMS cannot rotate this key (asymmetric, HMAC, imported, custom key store): no call.</summary>
    NotAvailable,
    /// <summary>Its current state does not allow the change (disabled, pending deletion, a Region not answering): no call.</summary>
    Refused,
}
