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

            migrationBuilder.AlterColumn<Guid>(
                name: "TicketId",
                table: "OutboxMessages",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

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
                name: "EvaluationRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    JobRunId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RouterVersion = table.Column<string>(type: "TEXT", maxLength: 96, nullable: false),
                    KnowledgeIndexVersion = table.Column<string>(type: "TEXT", maxLength: 96, nullable: false),
                    PolicyVersion = table.Column<long>(type: "INTEGER", nullable: false),
                    TargetPrecision = table.Column<double>(type: "REAL", nullable: false),
                    Tickets = table.Column<int>(type: "INTEGER", nullable: false),
                    RouterAccuracy = table.Column<double>(type: "REAL", nullable: false),
                    MacroF1 = table.Column<double>(type: "REAL", nullable: false),
                    CertifiedShare = table.Column<double>(type: "REAL", nullable: false),
                    CertifiedPrecision = table.Column<double>(type: "REAL", nullable: true),
                    ExpectedAuto = table.Column<int>(type: "INTEGER", nullable: false),
                    AutoReplies = table.Column<int>(type: "INTEGER", nullable: false),
                    BadAutoReplies = table.Column<int>(type: "INTEGER", nullable: false),
                    AutoResolvedShare = table.Column<double>(type: "REAL", nullable: false),
                    BadAnswerRate = table.Column<double>(type: "REAL", nullable: false),
                    MeanGroundedness = table.Column<double>(type: "REAL", nullable: true),
                    MinGroundedness = table.Column<double>(type: "REAL", nullable: true),
                    RetrievalRecallAt3 = table.Column<double>(type: "REAL", nullable: false),
                    LatencyP50Milliseconds = table.Column<double>(type: "REAL", nullable: false),
                    LatencyP95Milliseconds = table.Column<double>(type: "REAL", nullable: false),
                    StageLatencyJson = table.Column<string>(type: "TEXT", nullable: false),
                    PerIntentJson = table.Column<string>(type: "TEXT", nullable: false),
                    PredictionsJson = table.Column<string>(type: "TEXT", nullable: false),
                    AlertRaised = table.Column<bool>(type: "INTEGER", nullable: false),
                    AlertReason = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    EngagedKillSwitch = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvaluationRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "JobRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    WorkKey = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ActiveKey = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Progress = table.Column<double>(type: "REAL", nullable: false),
                    ProgressMessage = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    HangfireJobId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    TriggeredBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    CancelRequested = table.Column<bool>(type: "INTEGER", nullable: false),
                    CancelRequestedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    ResultJson = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JobRuns", x => x.Id);
                });

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
                name: "KnowledgeIndexBuilds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    IndexVersion = table.Column<string>(type: "TEXT", maxLength: 96, nullable: false),
                    EmbedderVersion = table.Column<string>(type: "TEXT", maxLength: 96, nullable: false),
                    Articles = table.Column<int>(type: "INTEGER", nullable: false),
                    Chunks = table.Column<int>(type: "INTEGER", nullable: false),
                    DurationMilliseconds = table.Column<double>(type: "REAL", nullable: false),
                    BuiltAt = table.Column<long>(type: "INTEGER", nullable: false),
                    BuiltBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    JobRunId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KnowledgeIndexBuilds", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RouterModels",
                columns: table => new
                {
                    VersionId = table.Column<string>(type: "TEXT", maxLength: 96, nullable: false),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CardJson = table.Column<string>(type: "TEXT", nullable: false),
                    OnnxSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OnnxBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    TrainingRows = table.Column<int>(type: "INTEGER", nullable: false),
                    TrainingDataHash = table.Column<string>(type: "TEXT", maxLength: 96, nullable: true),
                    HeldOutAccuracy = table.Column<double>(type: "REAL", nullable: true),
                    HeldOutCertifiedCoverage = table.Column<double>(type: "REAL", nullable: true),
                    JobRunId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ShadowReportJson = table.Column<string>(type: "TEXT", nullable: true),
                    DecisionReason = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    ActivatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ActivatedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RouterModels", x => x.VersionId);
                });

            migrationBuilder.CreateTable(
                name: "SecondOpinionReviews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TicketId = table.Column<Guid>(type: "TEXT", nullable: false),
                    QueuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Verdict = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    CorrectIntent = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    ReviewedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    ReviewedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SecondOpinionReviews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SecondOpinionReviews_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
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

            migrationBuilder.CreateTable(
                name: "RouterModelFiles",
                columns: table => new
                {
                    VersionId = table.Column<string>(type: "TEXT", maxLength: 96, nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RouterModelFiles", x => x.VersionId);
                    table.ForeignKey(
                        name: "FK_RouterModelFiles_RouterModels_VersionId",
                        column: x => x.VersionId,
                        principalTable: "RouterModels",
                        principalColumn: "VersionId",
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
                name: "IX_EvaluationRuns_FinishedAt",
                table: "EvaluationRuns",
                column: "FinishedAt");

            migrationBuilder.CreateIndex(
                name: "IX_JobRuns_Kind_ActiveKey",
                table: "JobRuns",
                columns: new[] { "Kind", "ActiveKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_JobRuns_Kind_CreatedAt",
                table: "JobRuns",
                columns: new[] { "Kind", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_JobRuns_State",
                table: "JobRuns",
                column: "State");

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeIndexBuilds_BuiltAt",
                table: "KnowledgeIndexBuilds",
                column: "BuiltAt");

            migrationBuilder.CreateIndex(
                name: "IX_RouterModels_CreatedAt",
                table: "RouterModels",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_SecondOpinionReviews_ReviewedAt_QueuedAt",
                table: "SecondOpinionReviews",
                columns: new[] { "ReviewedAt", "QueuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SecondOpinionReviews_TicketId",
                table: "SecondOpinionReviews",
                column: "TicketId",
                unique: true);

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
                name: "EvaluationRuns");

            migrationBuilder.DropTable(
                name: "JobRuns");

            migrationBuilder.DropTable(
                name: "KbArticleVersions");

            migrationBuilder.DropTable(
                name: "KbDrafts");

            migrationBuilder.DropTable(
                name: "KnowledgeIndexBuilds");

            migrationBuilder.DropTable(
                name: "RouterModelFiles");

            migrationBuilder.DropTable(
                name: "SecondOpinionReviews");

            migrationBuilder.DropTable(
                name: "TicketMessages");

            migrationBuilder.DropTable(
                name: "TicketNotes");

            migrationBuilder.DropTable(
                name: "RouterModels");

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

            migrationBuilder.AlterColumn<Guid>(
                name: "TicketId",
                table: "OutboxMessages",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "TEXT",
                oldNullable: true);

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
