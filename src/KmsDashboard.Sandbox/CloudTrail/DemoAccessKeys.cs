namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>
/// Access key ids the sandbox's CloudTrail knows by name. Sign a request with one of them and the event names
/// that user or role; any other key is recorded as the generic IAM user <see cref="GenericUserName"/>.
/// </summary>
public static class DemoAccessKeys
{
    /// <summary>The dashboard's own credentials in Sandbox mode (IAM user kms-dashboard).</summary>
    public const string Dashboard = "AKIASANDBOXDASHBOARD";
    /// <summary>IAM user alice, the key administrator (the AWS documentation's example key).</summary>
    public const string Alice = "AKIAIOSFODNN7EXAMPLE";
    /// <summary>IAM user bob, security engineer.</summary>
    public const string Bob = "AKIAI44QH8DHBEXAMPLE";
    /// <summary>IAM user carol, developer.</summary>
    public const string Carol = "AKIACAROLDEVEXAMPLE1";
    /// <summary>Role OrderServiceRole, assumed by the order service's EC2 instances.</summary>
    public const string OrderService = "ASIAORDERSVCEXAMPLE1";
    /// <summary>Role PaymentsLambdaRole, session payments-processor.</summary>
    public const string PaymentsLambda = "ASIAPAYMENTSEXAMPLE1";
    /// <summary>Role KeyAdminRole assumed by alice.</summary>
    public const string KeyAdmin = "ASIAKEYADMINEXAMPLE1";
    /// <summary>Role ReportingRole, session nightly-etl (the one that meets AccessDenied).</summary>
    public const string Reporting = "ASIAREPORTINGEXAMPL1";

    public const string GenericUserName = "sandbox-user";
}
