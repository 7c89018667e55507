using KmsDashboard.Core.Aws.CloudTrail;
using NpgsqlTypes;

namespace KmsDashboard.Core.Cluster;

/// <summary>
/// CloudTrail slots in <c>cluster_cloudtrail_pacing</c>: one row per Region holding the next free slot. Taking a slot is
/// one statement (the row lock orders instances asking at once), timed by the database's clock so that instances whose
/// clocks differ still space their requests.
/// </summary>
public sealed class PostgresCloudTrailPacing(ClusterDatabase database) : ICloudTrailPacing
{
    public async Task<TimeSpan> ReserveAsync(string region, TimeSpan interval, CancellationToken cancellationToken)
    {
        await database.EnsureCreatedAsync(cancellationToken);
        await using var command = database.DataSource.CreateCommand("""
            INSERT INTO cluster_cloudtrail_pacing AS p (region, next_slot) VALUES (@region, clock_timestamp() + @interval)
            ON CONFLICT (region) DO UPDATE SET next_slot = greatest(p.next_slot, clock_timestamp()) + @interval
            RETURNING greatest(p.next_slot - @interval - clock_timestamp(), interval '0')
            """);
        command.Parameters.AddWithValue("region", region);
        command.Parameters.AddWithValue("interval", NpgsqlDbType.Interval, interval);
        return (TimeSpan)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
