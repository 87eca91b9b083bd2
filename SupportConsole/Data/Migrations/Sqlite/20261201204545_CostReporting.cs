using System;
using Microsoft.EntityFrameworkCore.Migrations;
using SupportConsole.Engine.Gate;

#nullable disable

namespace SupportConsole.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CostReporting : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "FirstResponseAt",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "EditShare",
                table: "Drafts",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Review",
                table: "Drafts",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReviewedAt",
                table: "Drafts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "BudgetAlerts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Month = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SpendNanosUsd = table.Column<long>(type: "INTEGER", nullable: false),
                    BudgetUsd = table.Column<decimal>(type: "TEXT", precision: 18, scale: 6, nullable: false),
                    WarnAtShare = table.Column<double>(type: "REAL", nullable: false),
                    OverBudgetAction = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    TicketId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BudgetAlerts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CustomerBudgets",
                columns: table => new
                {
                    CustomerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MonthlyBudgetUsd = table.Column<decimal>(type: "TEXT", precision: 18, scale: 6, nullable: false),
                    WarnAtShare = table.Column<double>(type: "REAL", nullable: false),
                    OverBudgetAction = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomerBudgets", x => x.CustomerId);
                    table.ForeignKey(
                        name: "FK_CustomerBudgets_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DailyCustomerStats",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CustomerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Tickets = table.Column<long>(type: "INTEGER", nullable: false),
                    AutoResolved = table.Column<long>(type: "INTEGER", nullable: false),
                    CostNanosUsd = table.Column<long>(type: "INTEGER", nullable: false),
                    CloudCostNanosUsd = table.Column<long>(type: "INTEGER", nullable: false),
                    CloudTickets = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyCustomerStats", x => new { x.Day, x.Channel, x.CustomerId });
                });

            migrationBuilder.CreateTable(
                name: "DailyIntentStats",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Intent = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Band = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Tickets = table.Column<long>(type: "INTEGER", nullable: false),
                    CostNanosUsd = table.Column<long>(type: "INTEGER", nullable: false),
                    CloudTickets = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstResponses = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstResponseMsTotal = table.Column<long>(type: "INTEGER", nullable: false),
                    DraftsSent = table.Column<long>(type: "INTEGER", nullable: false),
                    DraftsEdited = table.Column<long>(type: "INTEGER", nullable: false),
                    EditBasisPointsTotal = table.Column<long>(type: "INTEGER", nullable: false),
                    DraftsRejected = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyIntentStats", x => new { x.Day, x.Channel, x.Intent, x.Band });
                });

            migrationBuilder.CreateTable(
                name: "DailyReasonCounts",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Band = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 96, nullable: false),
                    Tickets = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyReasonCounts", x => new { x.Day, x.Channel, x.Band, x.Code });
                });

            migrationBuilder.CreateTable(
                name: "DailyResponseTimes",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Band = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Bucket = table.Column<int>(type: "INTEGER", nullable: false),
                    Responses = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyResponseTimes", x => new { x.Day, x.Channel, x.Band, x.Bucket });
                });

            migrationBuilder.CreateTable(
                name: "DailyStageCosts",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Model = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    IsLocal = table.Column<bool>(type: "INTEGER", nullable: false),
                    Receipts = table.Column<long>(type: "INTEGER", nullable: false),
                    CostNanosUsd = table.Column<long>(type: "INTEGER", nullable: false),
                    InputTokens = table.Column<long>(type: "INTEGER", nullable: false),
                    OutputTokens = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyStageCosts", x => new { x.Day, x.Channel, x.Stage, x.Model, x.IsLocal });
                });

            migrationBuilder.CreateIndex(
                name: "IX_BudgetAlerts_CreatedAt",
                table: "BudgetAlerts",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_BudgetAlerts_CustomerId_Month_Level",
                table: "BudgetAlerts",
                columns: new[] { "CustomerId", "Month", "Level" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DailyCustomerStats_CustomerId_Day",
                table: "DailyCustomerStats",
                columns: new[] { "CustomerId", "Day" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BudgetAlerts");

            migrationBuilder.DropTable(
                name: "CustomerBudgets");

            migrationBuilder.DropTable(
                name: "DailyCustomerStats");

            migrationBuilder.DropTable(
                name: "DailyIntentStats");

            migrationBuilder.DropTable(
                name: "DailyReasonCounts");

            migrationBuilder.DropTable(
                name: "DailyResponseTimes");

            migrationBuilder.DropTable(
                name: "DailyStageCosts");

            migrationBuilder.DropColumn(
                name: "FirstResponseAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "EditShare",
                table: "Drafts");

            migrationBuilder.DropColumn(
                name: "Review",
                table: "Drafts");

            migrationBuilder.DropColumn(
                name: "ReviewedAt",
                table: "Drafts");
        }
    }
}
