using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KmsDashboard.Core.Storage.Migrations.Postgres.Findings
{
    /// <inheritdoc />
    public partial class EvaluationNotes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Notes",
                table: "finding_evaluations",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Notes",
                table: "finding_evaluations");
        }
    }
}
