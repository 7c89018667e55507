using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KmsDashboard.Core.Storage.Migrations.Postgres.Approvals
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    Action = table.Column<string>(type: "text", nullable: false),
                    Title = table.Column<string>(type: "text", nullable: false),
                    KeyId = table.Column<string>(type: "text", nullable: false),
                    Region = table.Column<string>(type: "text", nullable: false),
                    Inputs = table.Column<string>(type: "text", nullable: false),
                    Preview = table.Column<string>(type: "text", nullable: false),
                    ConfirmationTexts = table.Column<string>(type: "text", nullable: false),
                    TypedByRequester = table.Column<string>(type: "text", nullable: false),
                    RunbookId = table.Column<Guid>(type: "uuid", nullable: true),
                    StepIndex = table.Column<int>(type: "integer", nullable: true),
                    StepName = table.Column<string>(type: "text", nullable: true),
                    RequestedById = table.Column<string>(type: "text", nullable: false),
                    RequestedByName = table.Column<string>(type: "text", nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "text", nullable: false),
                    DecidedById = table.Column<string>(type: "text", nullable: true),
                    DecidedByName = table.Column<string>(type: "text", nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Reason = table.Column<string>(type: "text", nullable: true),
                    Outcome = table.Column<string>(type: "text", nullable: true),
                    OutcomeSummary = table.Column<string>(type: "text", nullable: true),
                    JournalEntryId = table.Column<long>(type: "bigint", nullable: true)
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
