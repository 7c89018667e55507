namespace KmsDashboard.Sandbox.CloudWatch;

/// <summary>
/// A CloudWatch error as the service answers it: the query protocol's code (InvalidParameterValue, MissingParameter,
/// InvalidNextToken, ValidationError…), the JSON protocol's <c>__type</c> (its modeled shape name), and the status.
/// </summary>
internal sealed class CloudWatchException(string queryCode, string jsonType, string message, int status = 400) : Exception(message)
{
    public string QueryCode { get; } = queryCode;
    public string JsonType { get; } = jsonType;
    public int Status { get; } = status;

    public static CloudWatchException InvalidParameterValue(string message) => new("InvalidParameterValue", "InvalidParameterValueException", message);
    public static CloudWatchException MissingParameter(string message) => new("MissingParameter", "MissingRequiredParameterException", message);
    public static CloudWatchException InvalidParameterCombination(string message) => new("InvalidParameterCombination", "InvalidParameterCombinationException", message);
    public static CloudWatchException InvalidNextToken(string message) => new("InvalidNextToken", "InvalidNextToken", message);
    public static CloudWatchException Validation(string message) => new("ValidationError", "ValidationError", message);
    public static CloudWatchException InvalidAction(string message) => new("InvalidAction", "InvalidAction", message);
}
