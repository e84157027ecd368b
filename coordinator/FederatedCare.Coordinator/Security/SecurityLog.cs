namespace FederatedCare.Coordinator.Security;

/// <summary>Structured log events of mutual TLS and certificate authorisation.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(401, LogLevel.Warning,
        "The federation runs without TLS: anyone who reaches the coordinator's port can call every service, and traffic is " +
        "readable on the network. Fine on one machine's loopback; set Coordinator:Tls (see fedcare provision) for anything else.")]
    public static partial void PlaintextWarning(ILogger logger);

    [LoggerMessage(402, LogLevel.Information, "Mutual TLS on {Endpoint}: serving as {Subject}; clients need a certificate issued by {ClientCa}")]
    public static partial void MutualTls(ILogger logger, string endpoint, string subject, string clientCa);

    [LoggerMessage(403, LogLevel.Warning, "Client certificate {Subject} (issuer {Issuer}) rejected: {Reasons}")]
    public static partial void ClientCertificateRejected(ILogger logger, string subject, string issuer, string reasons);

    [LoggerMessage(404, LogLevel.Warning, "Access denied to {Caller} calling {Method}: {Reason}")]
    public static partial void AccessDenied(ILogger logger, string caller, string method, string reason);
}
