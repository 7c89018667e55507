using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace KmsDashboard.Core.Storage.Migrations.Postgres.Findings
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "finding_evaluations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Critical = table.Column<int>(type: "integer", nullable: false),
                    High = table.Column<int>(type: "integer", nullable: false),
                    Medium = table.Column<int>(type: "integer", nullable: false),
                    Low = table.Column<int>(type: "integer", nullable: false),
                    Info = table.Column<int>(type: "integer", nullable: false),
                    Stale = table.Column<int>(type: "integer", nullable: false),
                    Suppressed = table.Column<int>(type: "integer", nullable: false),
                    EstateScore = table.Column<double>(type: "double precision", nullable: false),
                    DurationMs = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_finding_evaluations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "finding_suppressions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FindingId = table.Column<string>(type: "text", nullable: false),
                    CheckId = table.Column<string>(type: "text", nullable: false),
                    KeyId = table.Column<string>(type: "text", nullable: false),
                    Region = table.Column<string>(type: "text", nullable: true),
                    Reason = table.Column<string>(type: "text", nullable: false),
                    CreatedBy = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LiftedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LiftedBy = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_finding_suppressions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "findings",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    CheckId = table.Column<string>(type: "text", nullable: false),
                    Severity = table.Column<string>(type: "text", nullable: false),
                    KeyId = table.Column<string>(type: "text", nullable: false),
                    KeyName = table.Column<string>(type: "text", nullable: false),
                    Region = table.Column<string>(type: "text", nullable: true),
                    Subject = table.Column<string>(type: "text", nullable: true),
                    Evidence = table.Column<string>(type: "text", nullable: false),
                    FixAction = table.Column<string>(type: "text", nullable: true),
                    FixRegion = table.Column<string>(type: "text", nullable: true),
                    FixLink = table.Column<string>(type: "text", nullable: true),
                    FixLabel = table.Column<string>(type: "text", nullable: true),
                    MonthlySaving = table.Column<double>(type: "double precision", nullable: true),
                    FirstSeen = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastSeen = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FixedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Stale = table.Column<bool>(type: "boolean", nullable: false),
                    StaleReason = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_findings", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_finding_evaluations_At",
                table: "finding_evaluations",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_finding_suppressions_FindingId",
                table: "finding_suppressions",
                column: "FindingId");

            migrationBuilder.CreateIndex(
                name: "IX_findings_FixedAt",
                table: "findings",
                column: "FixedAt");

            migrationBuilder.CreateIndex(
                name: "IX_findings_KeyId",
                table: "findings",
                column: "KeyId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "finding_evaluations");

            migrationBuilder.DropTable(
                name: "finding_suppressions");

            migrationBuilder.DropTable(
                name: "findings");
        }
    }
}
