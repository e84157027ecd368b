using System.Security.Cryptography;
using System.Text;
using FederatedCare.Protos.Security;

namespace FederatedCare.Coordinator.Web.Access;

/// <summary>
/// Who may read the dashboard and its API. The probes and <c>/metrics</c> are open (they show counts, sizes and times,
/// nothing derived from data cells). Everything else takes, in this order: a federation client certificate of an
/// operator or researcher (checked against the federation CA in the TLS handshake); the read-only token as
/// <c>Authorization: Bearer</c>, as the cookie set after one <c>?token=</c>, or as that query; or nothing at all on a
/// plaintext loopback endpoint when no token is configured. Otherwise 401.
/// </summary>
internal sealed class WebSignIn(WebOptions options)
{
    /// <summary>The cookie that keeps the token after <c>?token=</c>.</summary>
    public const string Cookie = "fedcare_token";

    private static readonly string[] OpenPaths = ["/healthz", "/readyz", "/metrics"];
    private readonly byte[] _token = Encoding.UTF8.GetBytes(options.ReadOnlyToken ?? "");

    /// <summary>The middleware: answers 401 for a request that signs in with nothing acceptable.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (OpenPaths.Contains(context.Request.Path.Value, StringComparer.Ordinal) || IsSignedIn(context))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await context.Response.WriteAsync(
            "Sign in with an operator or researcher certificate of the federation, or the read-only token " +
            "(Authorization: Bearer TOKEN, or ?token=TOKEN once).\n", context.RequestAborted).ConfigureAwait(false);
    }

    private bool IsSignedIn(HttpContext context)
    {
        if (context.Connection.ClientCertificate is { } certificate
            && FederationIdentity.FromCertificate(certificate) is { Role: FederationRoles.Operator or FederationRoles.Researcher })
            return true;
        if (_token.Length == 0) return !context.Request.IsHttps && context.Connection.LocalIpAddress is { } local && System.Net.IPAddress.IsLoopback(local);
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.Ordinal) && Matches(header["Bearer ".Length..].Trim())) return true;
        if (context.Request.Cookies.TryGetValue(Cookie, out var cookie) && Matches(cookie)) return true;
        if (context.Request.Query.TryGetValue("token", out var query) && Matches(query.ToString()))
        {
            // Kept so that the page's own requests (fetch, EventSource) sign in without the token in every URL.
            context.Response.Cookies.Append(Cookie, query.ToString(), new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, Path = "/",
            });
            return true;
        }
        return false;
    }

    // Constant time, so the comparison does not tell how much of a guess was right.
    private bool Matches(string candidate) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _token);
}
