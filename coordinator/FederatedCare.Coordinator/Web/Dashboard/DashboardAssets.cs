namespace FederatedCare.Coordinator.Web.Dashboard;

/// <summary>
/// The dashboard page: one HTML, one script and one style sheet (Web/Assets), embedded in the coordinator's assembly
/// (resources <c>web/NAME</c>) and served from memory, so nothing comes from a CDN or the disk at run time.
/// </summary>
internal static class DashboardAssets
{
    private static readonly (string Route, string Resource, string ContentType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8"),
        ("/dashboard.css", "dashboard.css", "text/css; charset=utf-8"),
    ];

    /// <summary>Maps the routes.</summary>
    /// <exception cref="InvalidOperationException">A file is missing from the assembly (a build problem).</exception>
    public static void Map(IEndpointRouteBuilder web)
    {
        foreach (var (route, resource, contentType) in Files)
        {
            var bytes = Read(resource);
            web.MapGet(route, (HttpContext context) =>
            {
                // The page must never show another coordinator version's script: no caching, and no sniffing.
                context.Response.Headers.CacheControl = "no-cache";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return Results.Bytes(bytes, contentType);
            });
        }
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream($"web/{name}")
            ?? throw new InvalidOperationException($"The dashboard file web/{name} is not embedded in the coordinator.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
