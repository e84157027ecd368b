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

    [LoggerMessage(405, LogLevel.Warning, "Revoked certificate of {Caller} (serial {Serial}) refused: {Where}")]
    public static partial void CertificateRevoked(ILogger logger, string caller, string serial, string where);

    [LoggerMessage(406, LogLevel.Information,
        "TLS files reloaded: serving as {Subject} (serial {Serial}, until {NotAfter:O}); clients need a certificate issued by {ClientCa}; {Revoked} serials revoked")]
    public static partial void Reloaded(ILogger logger, string subject, string serial, DateTimeOffset notAfter, string clientCa, int revoked);

    [LoggerMessage(407, LogLevel.Warning, "TLS files changed but cannot be used; the previous ones stay in use: {Reason}")]
    public static partial void ReloadFailed(ILogger logger, string reason);

    [LoggerMessage(408, LogLevel.Warning, "Region {Region} (node {NodeId}) dropped: its certificate (serial {Serial}) is revoked")]
    public static partial void RevokedNodeDropped(ILogger logger, string region, string nodeId, string serial);

    [LoggerMessage(409, LogLevel.Warning,
        "The certificate of {Whose} ({Subject}, serial {Serial}) expires {NotAfter:O}: {DaysLeft} days left (warning below {WarningDays}, Coordinator:Tls:ExpiryWarningDays)")]
    public static partial void CertificateExpiring(ILogger logger, string whose, string subject, string serial, DateTimeOffset notAfter, int daysLeft, int warningDays);

    [LoggerMessage(411, LogLevel.Warning,
        "The revocation list of {Issuer} (issued {ThisUpdate:O}) is past its next update {NextUpdate:O} by {DaysOverdue} days: " +
        "revocations made since may be missing. It stays in force; copy a newer crl.pem (fedcare provision --ca-dir DIR --revoke ... writes one) " +
        "to Coordinator:Tls:RevocationList")]
    public static partial void RevocationListStale(ILogger logger, string issuer, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate, double daysOverdue);

    [LoggerMessage(410, LogLevel.Error, "The audit entry for the refusal of {Caller} could not be written: {Reason}")]
    public static partial void AuditFailed(ILogger logger, string caller, string reason);
}
