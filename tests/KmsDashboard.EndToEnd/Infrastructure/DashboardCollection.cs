namespace KmsDashboard.EndToEnd.Infrastructure;

/// <summary>Tests in this collection share one running dashboard and browser (<see cref="DashboardFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "Dashboard";
}
