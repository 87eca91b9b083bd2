using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Retrieval;

namespace SupportConsole.Administration;

/// <summary>
/// Saves help-center articles: each save is a new version, the sections are rewritten and the re-embedding job is
/// queued (the live index keeps answering until the new one is built and swapped in).
/// </summary>
public sealed class KnowledgeAdmin(IDbContextFactory<SupportConsoleDbContext> contexts, Jobs.JobScheduler jobs, TimeProvider clock)
{
    /// <summary>Checks and saves an article; on a format problem nothing is saved and the message says what is wrong.</summary>
    public async Task<ActionOutcome> SaveAsync(string articleId, int expectedVersion, string markdown, string actor,
        CancellationToken cancellationToken = default)
    {
        Engine.Retrieval.KbArticle parsed;
        try
        {
            parsed = KbMarkdown.Parse(articleId, markdown);
        }
        catch (KbFormatException e)
        {
            return new ActionOutcome(false, e.Message);
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var article = await db.KbArticles.Include(a => a.Sections).FirstOrDefaultAsync(a => a.Id == articleId, cancellationToken);
            if (article is null)
            {
                return new ActionOutcome(false, $"Article {articleId} does not exist.");
            }

            if (article.Version != expectedVersion)
            {
                return new ActionOutcome(false, $"Someone saved version {article.Version} while you were editing; reload and re-apply your changes.");
            }

            var now = clock.GetUtcNow();
            var updated = KnowledgeWriter.ToEntity(parsed, markdown, article.Version + 1, now, actor);
            db.KbSections.RemoveRange(article.Sections);
            article.Sections = updated.Sections;
            (article.Title, article.Intents, article.Markdown, article.Version, article.UpdatedAt, article.UpdatedBy) =
                (updated.Title, updated.Intents, markdown, updated.Version, now, actor);
            db.AuditEvents.Add(AuditEvent.Record(now, actor, "kb.saved", "kb-article", articleId, JsonSerializer.Serialize(new { version = updated.Version, sections = parsed.Sections.Count })));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return new ActionOutcome(false, "Someone saved this article at the same moment; reload and re-apply your changes.");
            }
        }

        var run = await jobs.EnqueueAsync(JobKinds.KnowledgeReembed, actor, cancellationToken);
        return new ActionOutcome(true, $"Saved version {expectedVersion + 1}; the help-center index is being rebuilt in the background (job run {run.Id.ToString()[..8]}).");
    }
}

/// <summary>Whether an administrative action worked, and a sentence for the user.</summary>
public sealed record ActionOutcome(bool Succeeded, string Message);
