using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupportConsole.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EmailChannel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "HoldCode",
                table: "TicketMessages",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HoldDetail",
                table: "TicketMessages",
                type: "character varying(512)",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "HoldEscalates",
                table: "TicketMessages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "OriginalBody",
                table: "TicketMessages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ChannelMessageId",
                table: "OutboxMessages",
                type: "character varying(512)",
                maxLength: 512,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "InboundEmails",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Mailbox = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    MessageId = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    ExternalId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    FromAddress = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Subject = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    References = table.Column<string>(type: "text", nullable: true),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    TicketId = table.Column<Guid>(type: "uuid", nullable: true),
                    TicketMessageId = table.Column<Guid>(type: "uuid", nullable: true),
                    Note = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InboundEmails", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TicketAttachments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TicketId = table.Column<Guid>(type: "uuid", nullable: false),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    FileName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ContentType = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Content = table.Column<byte[]>(type: "bytea", nullable: true),
                    RefusedReason = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TicketAttachments", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Customers_Email",
                table: "Customers",
                column: "Email");

            migrationBuilder.CreateIndex(
                name: "IX_InboundEmails_ExternalId",
                table: "InboundEmails",
                column: "ExternalId");

            migrationBuilder.CreateIndex(
                name: "IX_InboundEmails_Mailbox_CreatedAt",
                table: "InboundEmails",
                columns: new[] { "Mailbox", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_InboundEmails_Mailbox_MessageId",
                table: "InboundEmails",
                columns: new[] { "Mailbox", "MessageId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InboundEmails_TicketId",
                table: "InboundEmails",
                column: "TicketId");

            migrationBuilder.CreateIndex(
                name: "IX_InboundEmails_TicketMessageId",
                table: "InboundEmails",
                column: "TicketMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_TicketAttachments_MessageId_Position",
                table: "TicketAttachments",
                columns: new[] { "MessageId", "Position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TicketAttachments_TicketId",
                table: "TicketAttachments",
                column: "TicketId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "InboundEmails");

            migrationBuilder.DropTable(
                name: "TicketAttachments");

            migrationBuilder.DropIndex(
                name: "IX_Customers_Email",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "HoldCode",
                table: "TicketMessages");

            migrationBuilder.DropColumn(
                name: "HoldDetail",
                table: "TicketMessages");

            migrationBuilder.DropColumn(
                name: "HoldEscalates",
                table: "TicketMessages");

            migrationBuilder.DropColumn(
                name: "OriginalBody",
                table: "TicketMessages");

            migrationBuilder.DropColumn(
                name: "ChannelMessageId",
                table: "OutboxMessages");
        }
    }
}
