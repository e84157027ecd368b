namespace FederatedCare.Coordinator.Web;

/// <summary>Structured log events of the web endpoint (event ids 5xx).</summary>
internal static partial class WebLog
{
    [LoggerMessage(501, LogLevel.Information, "Dashboard, /metrics, /healthz and /readyz on {Addresses}")]
    public static partial void Listening(ILogger logger, string addresses);
}
