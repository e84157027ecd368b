using System.Net;

namespace FederatedCare.Coordinator.Web;

/// <summary>One address of <see cref="WebOptions.Urls"/>: where to listen and whether with TLS.</summary>
/// <param name="Address">The IP address (<see cref="IPAddress.IPv6Any"/> for <c>*</c>).</param>
/// <param name="Port">The port; 0: any free one.</param>
/// <param name="Https">Whether the endpoint serves HTTPS with the coordinator's certificate.</param>
internal sealed record WebEndpoint(IPAddress Address, int Port, bool Https)
{
    /// <summary>Whether only this machine can reach the endpoint.</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Address);
}

/// <summary>Reads and checks <see cref="WebOptions.Urls"/>.</summary>
internal static class WebEndpoints
{
    private const string Key = CoordinatorOptions.SectionName + ":Web";

    /// <summary>The endpoints of <paramref name="urls"/> (none when it is empty).</summary>
    /// <exception cref="FormatException">An address that is no <c>http(s)://HOST:PORT</c> with an IP, localhost or <c>*</c>.</exception>
    public static IReadOnlyList<WebEndpoint> Parse(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseOne).ToList();

    /// <summary>Adds one line per problem of <paramref name="web"/> to <paramref name="errors"/>, naming the key.</summary>
    public static void Validate(WebOptions web, bool tls, List<string> errors)
    {
        IReadOnlyList<WebEndpoint> endpoints;
        try
        {
            endpoints = Parse(web.Urls ?? "");
        }
        catch (FormatException e)
        {
            errors.Add($"{Key}:Urls: {e.Message}");
            return;
        }
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Https && !tls)
                errors.Add($"{Key}:Urls: https needs the coordinator's certificate (Coordinator:Tls); use http on 127.0.0.1 without it.");
            else if (!endpoint.Https && !endpoint.IsLoopback)
                errors.Add($"{Key}:Urls: {endpoint.Address} is reachable from other machines, so it must be https (with Coordinator:Tls); plaintext only on loopback.");
        }
        if (web.ReadOnlyToken is { Length: > 0 } token && (token.Length < WebOptions.MinTokenChars || token.Any(char.IsWhiteSpace)))
            errors.Add($"{Key}:ReadOnlyToken must be at least {WebOptions.MinTokenChars} characters without spaces (or empty: none).");
        if (web.EventStreamSeconds is < 1 or > 86_400)
            errors.Add($"{Key}:EventStreamSeconds must be between 1 and 86400 (was {web.EventStreamSeconds}).");
        if (web.MaxEventStreams < 1)
            errors.Add($"{Key}:MaxEventStreams must be at least 1 (was {web.MaxEventStreams}).");
    }

    private static WebEndpoint ParseOne(string url)
    {
        if (!Uri.TryCreate(url.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal),
                UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            throw new FormatException($"'{url}' is not an address like http://127.0.0.1:5080 or https://0.0.0.0:5443.");
        var address = uri.Host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? (ip.Equals(IPAddress.Any) ? IPAddress.IPv6Any : ip)
            : throw new FormatException($"'{url}': the host must be an IP address, localhost or * (was '{uri.Host}').");
        return new WebEndpoint(address, uri.Port, uri.Scheme == "https");
    }
}
