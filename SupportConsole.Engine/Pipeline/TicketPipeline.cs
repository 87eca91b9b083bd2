using System.Diagnostics;
using SupportConsole.Engine.Accounting;
using SupportConsole.Engine.Drafting;
using SupportConsole.Engine.Gate;
using SupportConsole.Engine.Retrieval;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Engine.Pipeline;

/// <summary>The models one ticket is decided with: a router version and a help-center index version.</summary>
public sealed record PipelineModels(IIntentRouter Router, IKnowledgeSearch Knowledge);

/// <summary>
/// Route, retrieve, draft, gate for one stored ticket (or a customer's follow-up in its conversation). Stateless: policy, customer records and the models come in;
/// the decision and a receipt per stage come out. Persisting them and acting on the band (outbox, queues) is the
/// caller's job.
/// </summary>
public sealed class TicketPipeline(
    Func<IIntentRouter> router,
    Func<IKnowledgeSearch> knowledge,
    ICloudDrafter cloud,
    PriceTable prices,
    int sources = 3)
{
    public static readonly ActivitySource Telemetry = new("SupportConsole.Pipeline");

    /// <summary>The live router and index as the pipeline was composed with.</summary>
    public PipelineModels CurrentModels() => new(router(), knowledge());

    public Task<PipelineOutcome> ProcessAsync(TicketRequest ticket, CustomerRecords? customer, PolicySnapshot policy,
        CancellationToken cancellationToken) => ProcessAsync(ticket, customer, policy, CustomerLimits.None, CurrentModels(), cancellationToken);

    /// <summary>
    /// Decides one ticket with the given models (a shadow evaluation passes a candidate router) and within the
    /// customer's limits (a spent budget may stop deferral to the cloud model).
    /// </summary>
    public async Task<PipelineOutcome> ProcessAsync(TicketRequest ticket, CustomerRecords? customer, PolicySnapshot policy,
        CustomerLimits limits, PipelineModels models, CancellationToken cancellationToken)
    {
        var router = models.Router;
        var receipts = new List<StageReceipt>();
        var text = ticket.Text;
        var inputTokens = PriceTable.EstimateTokens(text);

        // Route
        RoutePrediction route;
        Routing.Calibration.CertificationRule certification;
        using (var span = Telemetry.StartActivity(Stages.Route))
        {
            var clock = StageClock.Start();
            // Certification at the tenant's chosen precision target, which may be stricter than the card's own; a cascade
            // also decides at that target whether stage 1 may answer alone.
            route = router.Route([text], policy.Gate.TargetPrecision)[0];
            certification = route.Stage == 2 && router.Card.Cascade is { } cascade
                ? cascade.CertificationFor(policy.Gate.TargetPrecision)
                : router.Card.CertificationFor(policy.Gate.TargetPrecision);
            span?.SetTag("intent", route.Intent).SetTag("confidence", route.Confidence).SetTag("certified", route.Certified)
                .SetTag("stage", route.Stage).SetTag("out_of_scope", route.OutOfScopeScore);
            receipts.Add(Local(Stages.Route, "intent-router", router.Card.VersionId, inputTokens, 0, clock));
        }

        var intentRule = certification.Intents.FirstOrDefault(i => i.Intent == route.Intent);

        // Hard rules read the text only, so they are known before anything is drafted: a safeguard (a vulnerable
        // customer) must never get a model-written reply, and its text never goes to a cloud model.
        var rulesFired = HardRuleMatcher.Matches(text, policy.HardRules);
        var safeguard = rulesFired.FirstOrDefault(r => r.Safeguard);

        // Retrieve
        var search = models.Knowledge;
        IReadOnlyList<SourceHit> hits;
        using (var span = Telemetry.StartActivity(Stages.Retrieve))
        {
            var clock = StageClock.Start();
            // Stage 1 certified the intent without the encoder; its sections are found by the intent's boost, so the
            // ticket is not embedded only for retrieval (it would double the ticket's CPU).
            var lexicalOnly = route is { Stage: 1, Certified: true };
            hits = search.Search(text, route.Intent, sources, lexicalOnly);
            span?.SetTag("sources", hits.Count).SetTag("index", search.IndexVersion).SetTag("lexical_only", lexicalOnly);
            receipts.Add(Local(Stages.Retrieve, lexicalOnly ? "bm25" : "bm25+embedder", search.IndexVersion, inputTokens, 0, clock));
        }

        // Draft: a certified intent gets its approved template; an uncertified one may go to the cloud model.
        DraftReply? draft = null;
        var kind = DraftKind.None;
        string? draftModel = null;
        double? groundedness = null;
        var cloudStopped = false;
        using (var span = Telemetry.StartActivity(Stages.Draft))
        {
            var clock = StageClock.Start();
            if (safeguard is not null)
            {
                receipts.Add(Local(Stages.Draft, "none", $"safeguard:{safeguard.Id}", 0, 0, clock));
            }
            else if (route.Certified && policy.Templates.TryGetValue(route.Intent, out var template)
                && search.FindSection(template.ArticleId, template.SectionTitle) is { } section)
            {
                draft = TemplateDrafter.Fill(template, section, customer);
                groundedness = GroundednessScorer.Score(draft.Body, draft.SupportingTexts);
                kind = DraftKind.Template;
                draftModel = $"template:{template.Intent}";
                receipts.Add(Local(Stages.Draft, "template", draftModel, inputTokens, PriceTable.EstimateTokens(draft.Text), clock));
            }
            else if (!route.Certified && cloud.IsConfigured && limits.CloudDeferralStopped)
            {
                cloudStopped = true;
                receipts.Add(Local(Stages.Draft, "none", CustomerLimits.CloudStoppedCode, 0, 0, clock));
            }
            else if (!route.Certified && cloud.IsConfigured)
            {
                var sections = hits
                    .Select(h => search.FindSection(h.ArticleId, h.SectionTitle))
                    .OfType<CitedSection>()
                    .ToList();
                var outcome = await cloud.DraftAsync(new CloudDraftRequest(
                    ticket.Body,
                    ticket.Subject,
                    route.Intent,
                    [.. sections.Select(s => new CloudDraftSource(s.ArticleId, s.ArticleTitle, s.SectionTitle, s.Body))],
                    customer is null ? null : new CustomerIdentity(customer.Name, customer.Email, customer.Phone, customer.CardLast4, customer.AccountNumber)),
                    cancellationToken);
                if (outcome.Text is { } cloudText && sections.Count > 0)
                {
                    draft = new DraftReply(cloudText, cloudText, sections[0], [.. sections.Select(s => s.Body)]);
                    groundedness = GroundednessScorer.Score(cloudText, draft.SupportingTexts);
                    kind = DraftKind.CloudModel;
                    draftModel = outcome.Model;
                }

                span?.SetTag("cloud.endpoint", outcome.Endpoint).SetTag("cloud.failures", outcome.Failures.Count);
                receipts.Add(new StageReceipt(Stages.Draft, outcome.Endpoint ?? "cloud", outcome.Model, IsLocal: false,
                    outcome.InputTokens, outcome.OutputTokens, clock.CpuMilliseconds, clock.ElapsedMilliseconds,
                    PriceTable.ToNanos(outcome.CostUsd) + prices.LocalCostNanos(clock.CpuMilliseconds)));
            }
            else
            {
                receipts.Add(Local(Stages.Draft, "none", null, 0, 0, clock));
            }

            span?.SetTag("draft", kind.ToString());
        }

        // Gate
        GateDecision gate;
        using (var span = Telemetry.StartActivity(Stages.Gate))
        {
            var clock = StageClock.Start();
            var costSoFar = receipts.Sum(r => r.CostNanosUsd) / 1_000_000_000m;
            gate = BandGate.Decide(new GateInput(
                route,
                intentRule?.Threshold,
                policy.Policies.GetValueOrDefault(route.Intent),
                HasDraft: draft is not null,
                DraftFromCloud: kind == DraftKind.CloudModel,
                groundedness,
                rulesFired,
                costSoFar,
                policy.Gate)
            {
                CloudDeferralStopped = cloudStopped,
                CloudDeferralStoppedDetail = limits.Reason,
                FollowUp = ticket.FollowUp,
                Hold = ticket.Hold,
            });
            span?.SetTag("band", gate.Band.ToString());
            receipts.Add(Local(Stages.Gate, "gate", $"policy-v{policy.Version}", 0, 0, clock));
        }

        return new PipelineOutcome
        {
            Route = route,
            RouterVersion = router.Card.VersionId,
            CertificationThreshold = intentRule?.Threshold,
            CertificationTarget = certification.TargetPrecision,
            Sources = hits,
            RetrievalIndexVersion = search.IndexVersion,
            EmbedderVersion = search.EmbedderVersion,
            Draft = draft,
            DraftKind = kind,
            DraftModel = draftModel,
            Groundedness = groundedness,
            Gate = gate,
            Receipts = receipts,
        };
    }

    private StageReceipt Local(string stage, string model, string? version, int inputTokens, int outputTokens, StageClock clock)
    {
        var cpu = clock.CpuMilliseconds;
        return new StageReceipt(stage, model, version, IsLocal: true, inputTokens, outputTokens, cpu, clock.ElapsedMilliseconds,
            prices.LocalCostNanos(cpu));
    }
}
