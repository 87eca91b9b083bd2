using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupportConsole.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AgentWorkspace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Drafts_TicketId",
                table: "Drafts");

            migrationBuilder.DropIndex(
                name: "IX_Decisions_TicketId",
                table: "Decisions");

            migrationBuilder.AddColumn<long>(
                name: "AssignedAt",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AssignedTo",
                table: "Tickets",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastMessageAt",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Priority",
                table: "Tickets",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Normal");

            migrationBuilder.AddColumn<long>(
                name: "ReplyDueAt",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Priority",
                table: "HardRules",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Normal");

            migrationBuilder.AddColumn<bool>(
                name: "Safeguard",
                table: "HardRules",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "DecisionId",
                table: "Drafts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SupersededAt",
                table: "Drafts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "FollowUp",
                table: "Decisions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "MessageId",
                table: "Decisions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SupersededAt",
                table: "Decisions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "DecisionId",
                table: "CostReceipts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastSignInAt",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "KbArticleVersions",
                columns: table => new
                {
                    ArticleId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Markdown = table.Column<string>(type: "TEXT", nullable: false),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PublishedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KbArticleVersions", x => new { x.ArticleId, x.Version });
                });

            migrationBuilder.CreateTable(
                name: "KbDrafts",
                columns: table => new
                {
                    ArticleId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Markdown = table.Column<string>(type: "TEXT", nullable: false),
                    BaseVersion = table.Column<int>(type: "INTEGER", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KbDrafts", x => x.ArticleId);
                });

            migrationBuilder.CreateTable(
                name: "TicketMessages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TicketId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Direction = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ExternalId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    InReplyTo = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ThreadKey = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Author = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RoutingPending = table.Column<bool>(type: "INTEGER", nullable: false),
                    RoutingAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    OutboxMessageId = table.Column<Guid>(type: "TEXT", nullable: true),
                    LabelledIntent = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TicketMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TicketMessages_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TicketNotes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TicketId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Author = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TicketNotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TicketNotes_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Every ticket so far becomes a conversation of one message (its own, with the ticket's id), routed by its decision.
            migrationBuilder.Sql(
                """
                INSERT INTO "TicketMessages" ("Id", "TicketId", "Direction", "Channel", "ExternalId", "InReplyTo", "ThreadKey", "Author", "Subject",
                    "Body", "At", "CreatedAt", "RoutingPending", "RoutingAttempts", "OutboxMessageId", "LabelledIntent")
                SELECT t."Id", t."Id", 'Inbound', t."Channel", t."ExternalId", NULL, NULL, t."CustomerId", t."Subject",
                    t."Body", t."ReceivedAt", t."IngestedAt", 0, 0, NULL, NULL
                FROM "Tickets" t;
                """);
            migrationBuilder.Sql("""UPDATE "Decisions" SET "MessageId" = "TicketId";""");
            migrationBuilder.Sql("""UPDATE "Drafts" SET "DecisionId" = (SELECT d."Id" FROM "Decisions" d WHERE d."TicketId" = "Drafts"."TicketId");""");
            migrationBuilder.Sql("""UPDATE "Tickets" SET "LastMessageAt" = "IngestedAt";""");

            // The article as it is now is its first kept version.
            migrationBuilder.Sql(
                """
                INSERT INTO "KbArticleVersions" ("ArticleId", "Version", "Title", "Markdown", "PublishedAt", "PublishedBy", "Note")
                SELECT "Id", "Version", "Title", "Markdown", "UpdatedAt", "UpdatedBy", NULL FROM "KbArticles";
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_AssignedTo_Status",
                table: "Tickets",
                columns: new[] { "AssignedTo", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Status_ReplyDueAt",
                table: "Tickets",
                columns: new[] { "Status", "ReplyDueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Drafts_TicketId",
                table: "Drafts",
                column: "TicketId",
                unique: true,
                filter: "\"SupersededAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_TicketId",
                table: "Decisions",
                column: "TicketId",
                unique: true,
                filter: "\"SupersededAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_TicketId_CreatedAt",
                table: "Decisions",
                columns: new[] { "TicketId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TicketMessages_Channel_ExternalId",
                table: "TicketMessages",
                columns: new[] { "Channel", "ExternalId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TicketMessages_Channel_ThreadKey",
                table: "TicketMessages",
                columns: new[] { "Channel", "ThreadKey" });

            migrationBuilder.CreateIndex(
                name: "IX_TicketMessages_RoutingPending_CreatedAt",
                table: "TicketMessages",
                columns: new[] { "RoutingPending", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TicketMessages_TicketId_At",
                table: "TicketMessages",
                columns: new[] { "TicketId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_TicketNotes_TicketId_CreatedAt",
                table: "TicketNotes",
                columns: new[] { "TicketId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "KbArticleVersions");

            migrationBuilder.DropTable(
                name: "KbDrafts");

            migrationBuilder.DropTable(
                name: "TicketMessages");

            migrationBuilder.DropTable(
                name: "TicketNotes");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_AssignedTo_Status",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_Status_ReplyDueAt",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Drafts_TicketId",
                table: "Drafts");

            migrationBuilder.DropIndex(
                name: "IX_Decisions_TicketId",
                table: "Decisions");

            migrationBuilder.DropIndex(
                name: "IX_Decisions_TicketId_CreatedAt",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "AssignedAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "AssignedTo",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "LastMessageAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "Priority",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "ReplyDueAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "Priority",
                table: "HardRules");

            migrationBuilder.DropColumn(
                name: "Safeguard",
                table: "HardRules");

            migrationBuilder.DropColumn(
                name: "DecisionId",
                table: "Drafts");

            migrationBuilder.DropColumn(
                name: "SupersededAt",
                table: "Drafts");

            migrationBuilder.DropColumn(
                name: "FollowUp",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "MessageId",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "SupersededAt",
                table: "Decisions");

            migrationBuilder.DropColumn(
                name: "DecisionId",
                table: "CostReceipts");

            migrationBuilder.DropColumn(
                name: "LastSignInAt",
                table: "AspNetUsers");

            migrationBuilder.CreateIndex(
                name: "IX_Drafts_TicketId",
                table: "Drafts",
                column: "TicketId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Decisions_TicketId",
                table: "Decisions",
                column: "TicketId",
                unique: true);
        }
    }
}
