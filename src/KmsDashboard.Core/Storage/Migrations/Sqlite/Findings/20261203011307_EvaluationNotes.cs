using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KmsDashboard.Core.Storage.Migrations.Sqlite.Findings
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
                type: "TEXT",
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
