namespace FederatedCare.Coordinator.Web;

/// <summary>
/// The coordinator's web endpoint (section <c>Coordinator:Web</c>): the dashboard, its JSON and event stream, Prometheus
/// <c>/metrics</c> and the probes <c>/healthz</c> and <c>/readyz</c>, on a listener of its own (never the gRPC port).
/// </summary>
public sealed class WebOptions
{
    /// <summary>
    /// Where the web endpoint listens, <c>;</c>-separated, e.g. <c>http://127.0.0.1:5080</c> (the default) or
    /// <c>https://0.0.0.0:5443</c>; empty: no web endpoint. Hosts are IP addresses, <c>localhost</c> or <c>*</c>. A
    /// non-loopback address must be <c>https</c> and needs <c>Coordinator:Tls</c>: it serves the coordinator's certificate.
    /// </summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>
    /// A read-only token for researchers without a federation certificate: sent as <c>Authorization: Bearer TOKEN</c>, or
    /// once as <c>?token=TOKEN</c> (then kept in a cookie). Empty: only federation certificates (operator, researcher)
    /// sign in, and a plaintext loopback endpoint is open to whoever can reach it. At least 16 characters.
    /// </summary>
    public string ReadOnlyToken { get; set; } = "";

    /// <summary>Dashboard event streams (<c>/api/events</c>) open at once; one more answers 503. Default 100.</summary>
    public int MaxEventStreams { get; set; } = 100;

    /// <summary>
    /// Seconds one dashboard event stream lasts before the coordinator ends it; the page reconnects after 3 s (the
    /// stream's <c>retry</c>) and reads the current state again. A stream that never ends keeps a headless browser's
    /// page "loading" for good (Chromium's <c>--virtual-time-budget</c> screenshot waits for it), and ending streams
    /// also frees those of pages that vanished without closing. Default 10.
    /// </summary>
    public int EventStreamSeconds { get; set; } = 10;

    /// <summary>The minimum length of <see cref="ReadOnlyToken"/>.</summary>
    internal const int MinTokenChars = 16;
}
