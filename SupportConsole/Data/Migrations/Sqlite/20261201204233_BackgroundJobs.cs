using System;
using Microsoft.EntityFrameworkCore.Migrations;
using SupportConsole.Engine.Gate;

#nullable disable

namespace SupportConsole.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BackgroundJobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // OutboxMessages.TicketId becomes nullable (alerts answer no ticket). SQLite cannot drop NOT NULL in place, and
            // EF's table rebuild first turns foreign keys off, which cannot run inside the migration's transaction (a
            // warning on every new database, and a half-applied migration if it stops there). The table has no foreign
            // keys, so the same rebuild runs as plain statements inside the transaction.
            migrationBuilder.Sql("""
                CREATE TABLE "ef_temp_OutboxMessages" (
                    "Id" TEXT NOT NULL CONSTRAINT "PK_OutboxMessages" PRIMARY KEY,
                    "TicketId" TEXT NULL,
                    "Kind" TEXT NOT NULL,
                    "PayloadJson" TEXT NOT NULL,
                    "CreatedAt" INTEGER NOT NULL,
                    "Attempts" INTEGER NOT NULL,
                    "NextAttemptAt" INTEGER NOT NULL,
                    "DeliveredAt" INTEGER NULL,
                    "LastError" TEXT NULL);
                INSERT INTO "ef_temp_OutboxMessages" ("Id", "TicketId", "Kind", "PayloadJson", "CreatedAt", "Attempts", "NextAttemptAt", "DeliveredAt", "LastError")
                SELECT "Id", "TicketId", "Kind", "PayloadJson", "CreatedAt", "Attempts", "NextAttemptAt", "DeliveredAt", "LastError" FROM "OutboxMessages";
                DROP TABLE "OutboxMessages";
                ALTER TABLE "ef_temp_OutboxMessages" RENAME TO "OutboxMessages";
                CREATE INDEX "IX_OutboxMessages_DeliveredAt_NextAttemptAt" ON "OutboxMessages" ("DeliveredAt", "NextAttemptAt");
                """);

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EvaluationRuns");

            migrationBuilder.DropTable(
                name: "JobRuns");

            migrationBuilder.DropTable(
                name: "KnowledgeIndexBuilds");

            migrationBuilder.DropTable(
                name: "RouterModelFiles");

            migrationBuilder.DropTable(
                name: "SecondOpinionReviews");

            migrationBuilder.DropTable(
                name: "RouterModels");

            migrationBuilder.AlterColumn<Guid>(
                name: "TicketId",
                table: "OutboxMessages",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "TEXT",
                oldNullable: true);
        }
    }
}
