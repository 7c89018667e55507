namespace KmsDashboard.Core.Drills;

/// <summary>A drill refused before any AWS call: an invalid or unknown key set, with the reason for the user.</summary>
public sealed class FailoverDrillException(string message) : Exception(message);
