namespace KmsDashboard.Core.Runbooks;

/// <summary>A step stops with a message for the operator (a precondition no longer holds); the step is marked failed.</summary>
public sealed class RunbookStepException(string message) : Exception(message);
