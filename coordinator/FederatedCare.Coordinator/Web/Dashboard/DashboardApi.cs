using System.Text.Json.Nodes;
using FederatedCare.Coordinator.Federation;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Web.Dashboard;

/// <summary>
/// The dashboard's read-only JSON: <c>/api/jobs</c> (summaries, newest first), <c>/api/jobs/{id}</c> (summary, rounds
/// with ε spent, per-region metrics, cross-site cells, the regions' refusals and pending approvals from the audit
/// chain), <c>/api/nodes</c> and <c>/api/audit</c> (a page of the chain). The same store and registry queries as the
/// Research and Operator services; nothing here writes.
/// </summary>
internal static class DashboardApi
{
    /// <summary>What the coordinator audits when a region says no to a job or its data team has not approved it yet.</summary>
    private static readonly string[] RefusalActions = ["job.refused", "job.pending", "task.refused", "analysis.refused", "update.rejected", "metrics.rejected", "statistics.rejected", "analysis.rejected", "refusal.rejected"];

    /// <summary>Entries of each refusal action a job's page shows (the chain keeps them all; <c>fedcare audit</c> reads them).</summary>
    private const int RefusalsShown = 200;

    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder web)
    {
        web.MapGet("/api/jobs", async (ICoordinatorStore store, CancellationToken ct) =>
        {
            var jobs = await store.Jobs.ListAsync(ct).ConfigureAwait(false);
            return Json(new JsonArray([.. jobs.OrderByDescending(j => j.CreatedAt?.ToDateTimeOffset()).Select(DashboardJson.Summary)]));
        });
        web.MapGet("/api/jobs/{id}", JobAsync);
        web.MapGet("/api/nodes", (NodeRegistry registry) => Json(DashboardJson.Of(registry.All.Select(n => n.ToInfo()))));
        web.MapGet("/api/audit", AuditAsync);
    }

    private static async Task<IResult> JobAsync(string id, ICoordinatorStore store, CancellationToken ct)
    {
        if (id.Length > WireLimits.JobIdChars) return Results.BadRequest($"A job id has at most {WireLimits.JobIdChars} characters.");
        var job = await store.Jobs.GetAsync(id, ct).ConfigureAwait(false);
        if (job is null) return Results.NotFound($"Job '{id}' does not exist.");
        var rounds = await store.Rounds.ListAsync(id, ct).ConfigureAwait(false);
        var metrics = await store.Metrics.ListAsync(id, null, ct).ConfigureAwait(false);
        var crossSite = await store.Metrics.ListCrossSiteAsync(id, ct).ConfigureAwait(false);
        var refusals = new List<AuditRecord>();
        foreach (var action in RefusalActions)
            refusals.AddRange(await store.Audit.ListChainAsync(new AuditFilter(id, null, action), 0, RefusalsShown, ct).ConfigureAwait(false));
        return Json(new JsonObject
        {
            ["job"] = DashboardJson.Summary(job),
            // The metrics travel once, in "metrics"; a round row keeps its participants, duration and ε.
            ["rounds"] = DashboardJson.Of(rounds.Select(r => { var copy = r.Clone(); copy.Metrics.Clear(); return copy; })),
            ["metrics"] = DashboardJson.Of(metrics),
            ["crossSite"] = DashboardJson.Of(crossSite),
            ["refusals"] = DashboardJson.Of(refusals.OrderBy(r => r.Seq)),
        });
    }

    private static async Task<IResult> AuditAsync(ICoordinatorStore store, CancellationToken ct, string? job = null, long after = 0, int limit = 200)
    {
        if (limit is < 1 or > AuditRecords.MaxPage || after < 0)
            return Results.BadRequest($"limit must be 1 to {AuditRecords.MaxPage} and after not negative.");
        if (job is { Length: > WireLimits.JobIdChars }) return Results.BadRequest($"A job id has at most {WireLimits.JobIdChars} characters.");
        var page = await store.Audit.ListChainAsync(new AuditFilter(string.IsNullOrEmpty(job) ? null : job), after, limit, ct).ConfigureAwait(false);
        return Json(new JsonObject
        {
            ["records"] = DashboardJson.Of(page),
            ["nextAfter"] = page.Count == limit ? page[^1].Seq : 0,
        });
    }

    private static IResult Json(JsonNode node) => Results.Text(node.ToJsonString(), "application/json");
}
