namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>Maps an access key id to the principal CloudTrail names for it.</summary>
internal static class TrailPrincipals
{
    public static readonly TrailPrincipal Dashboard = new("IAMUser", "kms-dashboard", "AIDASANDBOXDASHBOARD1");
    public static readonly TrailPrincipal Alice = new("IAMUser", "alice", "AIDAALICEEXAMPLE00001");
    public static readonly TrailPrincipal Bob = new("IAMUser", "bob", "AIDABOBEXAMPLE0000001");
    public static readonly TrailPrincipal Carol = new("IAMUser", "carol", "AIDACAROLEXAMPLE00001");
    public static readonly TrailPrincipal PaymentsLambda = new("AssumedRole", "PaymentsLambdaRole", "AROAPAYMENTSEXAMPLE01", "payments-processor");
    public static readonly TrailPrincipal KeyAdmin = new("AssumedRole", "KeyAdminRole", "AROAKEYADMINEXAMPLE01", "alice");
    public static readonly TrailPrincipal Reporting = new("AssumedRole", "ReportingRole", "AROAREPORTINGEXAMPL01", "nightly-etl");
    public static readonly TrailPrincipal Generic = new("IAMUser", DemoAccessKeys.GenericUserName, "AIDASANDBOXGENERIC001");

    /// <summary>The order service runs on a few instances; each is its own role session.</summary>
    public static readonly string[] OrderServiceInstances = ["i-0a1b2c3d4e5f60718", "i-0f9e8d7c6b5a43210", "i-07c1e2d3f4a5b6c7d"];

    public static TrailPrincipal OrderService(int instance) =>
        new("AssumedRole", "OrderServiceRole", "AROAORDERSVCEXAMPLE01", OrderServiceInstances[instance % OrderServiceInstances.Length]);

    public static TrailPrincipal ForAccessKey(string accessKeyId) => accessKeyId switch
    {
        DemoAccessKeys.Dashboard => Dashboard,
        DemoAccessKeys.Alice => Alice,
        DemoAccessKeys.Bob => Bob,
        DemoAccessKeys.Carol => Carol,
        DemoAccessKeys.OrderService => OrderService(0),
        DemoAccessKeys.PaymentsLambda => PaymentsLambda,
        DemoAccessKeys.KeyAdmin => KeyAdmin,
        DemoAccessKeys.Reporting => Reporting,
        _ => Generic,
    };
}
