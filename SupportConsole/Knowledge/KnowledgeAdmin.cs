using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Retrieval;
using SupportConsole.Identity;

namespace SupportConsole.Knowledge;

/// <summary>One published version of an article, as the history lists it.</summary>
public sealed record ArticleVersionRow(int Version, string Title, DateTimeOffset PublishedAt, string? PublishedBy, string? Note);

/// <summary>
/// Writes help-center articles. A manager works on a draft (saved as often as they like, invisible to retrieval and
/// drafting), then publishes it: each publication is a new version, kept with the ones before (diff and revert), the
/// sections are rewritten and the re-embedding job is queued (the live index keeps answering until the new one is
/// built and swapped in). A new article starts as a draft.
/// </summary>
public sealed partial class KnowledgeAdmin(IDbContextFactory<SupportConsoleDbContext> contexts, Jobs.JobScheduler jobs, TimeProvider clock)
{
    public const int MaxMarkdownLength = 200_000;

    /// <summary>What a new article starts from.</summary>
    public static string Template(string title) =>
        $"# {title}\n\nIntents: \n\nOne or two sentences about what the article covers.\n\n## First question customers ask\nThe answer, in 40 to 160 words.\n";

    /// <summary>Publishes an article now (no draft step): kept for callers that edit and publish at once.</summary>
    public Task<ActionResult> SaveAsync(string articleId, int expectedVersion, string markdown, string actor, CancellationToken cancellationToken = default) =>
        PublishAsync(articleId, expectedVersion, markdown, actor, note: null, cancellationToken);

    /// <summary>Creates a new article as a draft (not live until published); the id is its address, lower-case words with dashes.</summary>
    public async Task<ActionResult> CreateAsync(string articleId, string title, string actor, CancellationToken cancellationToken = default)
    {
        articleId = (articleId ?? string.Empty).Trim();
        if (!ArticleIdPattern().IsMatch(articleId))
        {
            return new ActionResult(false, "The address must be 2 to 128 lower-case letters, digits or dashes, like card-delivery.");
        }

        if (string.IsNullOrWhiteSpace(title) || title.Length > 256)
        {
            return new ActionResult(false, "Give the article a title (up to 256 characters).");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.KbArticles.AnyAsync(a => a.Id == articleId, cancellationToken) || await db.KbDrafts.AnyAsync(d => d.ArticleId == articleId, cancellationToken))
        {
            return new ActionResult(false, $"There is already an article or a draft at {articleId}.");
        }

        var now = clock.GetUtcNow();
        db.KbDrafts.Add(new KbDraft { ArticleId = articleId, Markdown = Template(title.Trim()), BaseVersion = null, UpdatedAt = now, UpdatedBy = actor });
        db.AuditEvents.Add(AuditEvent.Record(now, actor, "kb.draft-saved", "kb-article", articleId, JsonSerializer.Serialize(new { created = true })));
        await db.SaveChangesAsync(cancellationToken);
        return new ActionResult(true, $"New article {articleId} created as a draft: write it, then publish it.");
    }

    /// <summary>Saves the manager's work as the article's draft; nothing changes for customers until it is published.</summary>
    public async Task<ActionResult> SaveDraftAsync(string articleId, int? baseVersion, string markdown, string actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(markdown) || markdown.Length > MaxMarkdownLength)
        {
            return new ActionResult(false, $"The article is empty or longer than {MaxMarkdownLength} characters.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var draft = await db.KbDrafts.FirstOrDefaultAsync(d => d.ArticleId == articleId, cancellationToken);
        if (draft is null)
        {
            if (!await db.KbArticles.AnyAsync(a => a.Id == articleId, cancellationToken))
            {
                return new ActionResult(false, $"Article {articleId} does not exist.");
            }

            db.KbDrafts.Add(draft = new KbDraft { ArticleId = articleId, Markdown = markdown, BaseVersion = baseVersion });
        }

        (draft.Markdown, draft.UpdatedAt, draft.UpdatedBy) = (markdown, now, actor);
        db.AuditEvents.Add(AuditEvent.Record(now, actor, "kb.draft-saved", "kb-article", articleId, JsonSerializer.Serialize(new { baseVersion })));
        await db.SaveChangesAsync(cancellationToken);
        return new ActionResult(true, "Draft saved. Customers still see the published version until you publish.");
    }

    public async Task<ActionResult> DiscardDraftAsync(string articleId, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var removed = await db.KbDrafts.Where(d => d.ArticleId == articleId).ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
        {
            return new ActionResult(false, "There is no draft to discard.");
        }

        db.AuditEvents.Add(AuditEvent.Record(clock.GetUtcNow(), actor, "kb.draft-discarded", "kb-article", articleId));
        await db.SaveChangesAsync(cancellationToken);
        return new ActionResult(true, "Draft discarded.");
    }

    /// <summary>
    /// Checks and publishes <paramref name="markdown"/> as the next version (the first, for a new article); on a format
    /// problem nothing is saved and the message says what is wrong. <paramref name="expectedVersion"/> is the version the
    /// manager started from (0 for a new article): if someone published meanwhile, nothing is saved.
    /// </summary>
    public async Task<ActionResult> PublishAsync(string articleId, int expectedVersion, string markdown, string actor, string? note = null,
        CancellationToken cancellationToken = default)
    {
        Engine.Retrieval.KbArticle parsed;
        try
        {
            parsed = KbMarkdown.Parse(articleId, markdown);
        }
        catch (KbFormatException e)
        {
            return new ActionResult(false, e.Message);
        }

        int published;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var article = await db.KbArticles.Include(a => a.Sections).FirstOrDefaultAsync(a => a.Id == articleId, cancellationToken);
            if ((article?.Version ?? 0) != expectedVersion)
            {
                return new ActionResult(false, article is null
                    ? $"Article {articleId} does not exist."
                    : $"Someone published version {article.Version} while you were editing; reload and re-apply your changes.");
            }

            var now = clock.GetUtcNow();
            var updated = KnowledgeWriter.ToEntity(parsed, markdown, expectedVersion + 1, now, actor);
            if (article is null)
            {
                db.KbArticles.Add(article = updated);
            }
            else
            {
                db.KbSections.RemoveRange(article.Sections);
                article.Sections = updated.Sections;
                (article.Title, article.Intents, article.Markdown, article.Version, article.UpdatedAt, article.UpdatedBy) =
                    (updated.Title, updated.Intents, markdown, updated.Version, now, actor);
            }

            published = updated.Version;
            db.KbArticleVersions.Add(KnowledgeWriter.VersionOf(article, note));
            await db.KbDrafts.Where(d => d.ArticleId == articleId).ExecuteDeleteAsync(cancellationToken);
            db.AuditEvents.Add(AuditEvent.Record(now, actor, "kb.published", "kb-article", articleId,
                JsonSerializer.Serialize(new { version = published, sections = parsed.Sections.Count, note })));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return new ActionResult(false, "Someone published this article at the same moment; reload and re-apply your changes.");
            }
            catch (DbUpdateException e) when (DbExceptions.IsUniqueViolation(e))
            {
                return new ActionResult(false, "Someone published this article at the same moment; reload and re-apply your changes.");
            }
        }

        var run = await jobs.EnqueueAsync(JobKinds.KnowledgeReembed, actor, cancellationToken);
        return new ActionResult(true, $"Published version {published}; the help-center index is being rebuilt in the background (job run {run.Id.ToString()[..8]}).");
    }

    /// <summary>Publishes the text of an earlier version as the next version (the history keeps everything in between).</summary>
    public async Task<ActionResult> RevertAsync(string articleId, int toVersion, int expectedVersion, string actor, CancellationToken cancellationToken = default)
    {
        string markdown;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var old = await db.KbArticleVersions.AsNoTracking().FirstOrDefaultAsync(v => v.ArticleId == articleId && v.Version == toVersion, cancellationToken);
            if (old is null)
            {
                return new ActionResult(false, $"Article {articleId} has no version {toVersion}.");
            }

            markdown = old.Markdown;
        }

        var outcome = await PublishAsync(articleId, expectedVersion, markdown, actor, $"reverted to the text of version {toVersion}", cancellationToken);
        return outcome.Succeeded ? outcome with { Message = $"Reverted to the text of version {toVersion}. " + outcome.Message } : outcome;
    }

    public async Task<IReadOnlyList<ArticleVersionRow>> VersionsAsync(string articleId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.KbArticleVersions.AsNoTracking().Where(v => v.ArticleId == articleId).OrderByDescending(v => v.Version)
            .Select(v => new ArticleVersionRow(v.Version, v.Title, v.PublishedAt, v.PublishedBy, v.Note)).ToListAsync(cancellationToken);
    }

    public async Task<string?> VersionTextAsync(string articleId, int version, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.KbArticleVersions.AsNoTracking().Where(v => v.ArticleId == articleId && v.Version == version).Select(v => v.Markdown)
            .FirstOrDefaultAsync(cancellationToken);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,127}$")]
    private static partial Regex ArticleIdPattern();
}
