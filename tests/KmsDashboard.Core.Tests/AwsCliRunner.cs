using KmsDashboard.Sandbox.Tests;

namespace KmsDashboard.Core.Tests;

/// <summary>The shared <see cref="AwsCli"/> runner (linked from the Sandbox tests) under the Core tests' own caller.</summary>
internal sealed class AwsCliRunner(Uri endpoint) : AwsCli(endpoint, "AKIDKMSDASHBOARDCLI");
