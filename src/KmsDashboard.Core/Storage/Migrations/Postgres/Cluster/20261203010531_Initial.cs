using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KmsDashboard.Core.Storage.Migrations.Postgres.Cluster
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Versions before this migration created both tables at start, without a migration history, with the same
            // columns and constraints (PostgreSQL named those constraints as named here). IF NOT EXISTS keeps such a
            // database's tables and rows as they are and records it as migrated; on a new database it creates what the
            // model (Designer, snapshot) describes. ClusterDatabase runs it under the advisory lock the old code took.
            migrationBuilder.Sql("""
                CREATE TABLE IF NOT EXISTS cluster_inventory_snapshot (
                    id integer NOT NULL,
                    term bigint NOT NULL,
                    generation bigint NOT NULL,
                    leader text NOT NULL,
                    published_at timestamptz NULL,
                    read_at timestamptz NULL,
                    data bytea NULL,
                    CONSTRAINT cluster_inventory_snapshot_pkey PRIMARY KEY (id),
                    CONSTRAINT cluster_inventory_snapshot_id_check CHECK (id = 1));
                CREATE TABLE IF NOT EXISTS cluster_cloudtrail_pacing (
                    region text NOT NULL,
                    next_slot timestamptz NOT NULL,
                    CONSTRAINT cluster_cloudtrail_pacing_pkey PRIMARY KEY (region));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cluster_cloudtrail_pacing");

            migrationBuilder.DropTable(
                name: "cluster_inventory_snapshot");
        }
    }
}
