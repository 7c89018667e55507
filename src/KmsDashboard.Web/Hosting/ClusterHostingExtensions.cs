using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Cluster;

namespace KmsDashboard.Web.Hosting;

/// <summary>Several instances on one PostgreSQL store: see <see cref="ClusterServiceCollectionExtensions.AddCluster"/>.</summary>
public static class ClusterHostingExtensions
{
    /// <summary>Last among the features: it replaces the per-process CloudTrail limiter they registered.</summary>
    public static WebApplicationBuilder AddDashboardCluster(this WebApplicationBuilder builder)
    {
        builder.Services.AddCluster(builder.Configuration);
        if (ClusterServiceCollectionExtensions.IsClustered(builder.Configuration)
            && BackendOptions.ReadMode(builder.Configuration) != BackendMode.Aws)
        {
            // Each instance's embedded sandbox is its own AWS: the leader's snapshot would describe another instance's keys.
            Console.Error.WriteLine("WARNING: Storage:Provider=Postgres shares one inventory between instances, but Backend:Mode is not Aws: "
                + "each instance's embedded sandbox is a different account. Point every instance at one backend (Backend:Mode=Aws, "
                + "Backend:ServiceUrl of a standalone sandbox) to run them as a cluster.");
        }
        return builder;
    }
}
