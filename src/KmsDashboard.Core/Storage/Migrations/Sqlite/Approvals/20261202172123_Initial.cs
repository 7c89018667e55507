using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KmsDashboard.Core.Storage.Migrations.Sqlite.Approvals
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "approval_requests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", nullable: false),
                    Action = table.Column<string>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", nullable: false),
                    KeyId = table.Column<string>(type: "TEXT", nullable: false),
                    Region = table.Column<string>(type: "TEXT", nullable: false),
                    Inputs = table.Column<string>(type: "TEXT", nullable: false),
                    Preview = table.Column<string>(type: "TEXT", nullable: false),
                    ConfirmationTexts = table.Column<string>(type: "TEXT", nullable: false),
                    TypedByRequester = table.Column<string>(type: "TEXT", nullable: false),
                    RunbookId = table.Column<Guid>(type: "TEXT", nullable: true),
                    StepIndex = table.Column<int>(type: "INTEGER", nullable: true),
                    StepName = table.Column<string>(type: "TEXT", nullable: true),
                    RequestedById = table.Column<string>(type: "TEXT", nullable: false),
                    RequestedByName = table.Column<string>(type: "TEXT", nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", nullable: false),
                    DecidedById = table.Column<string>(type: "TEXT", nullable: true),
                    DecidedByName = table.Column<string>(type: "TEXT", nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", nullable: true),
                    OutcomeSummary = table.Column<string>(type: "TEXT", nullable: true),
                    JournalEntryId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_approval_requests", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_approval_requests_KeyId",
                table: "approval_requests",
                column: "KeyId");

            migrationBuilder.CreateIndex(
                name: "IX_approval_requests_RequestedAt",
                table: "approval_requests",
                column: "RequestedAt");

            migrationBuilder.CreateIndex(
                name: "IX_approval_requests_Status",
                table: "approval_requests",
                column: "Status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "approval_requests");
        }
    }
}
