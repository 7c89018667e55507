namespace KmsDashboard.Core.Aws;

/// <summary>Where the dashboard's AWS clients point.</summary>
public enum BackendMode
{
    /// <summary>The embedded AWS-compatible sandbox, started in-process on a loopback port.</summary>
    Sandbox,
    /// <summary>Real AWS (or LocalStack/moto when <see cref="BackendOptions.ServiceUrl"/> is set).</summary>
    Aws,
}
