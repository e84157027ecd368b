namespace FederatedCare.Coordinator.Security;

/// <summary>
/// Mutual TLS, section <c>Coordinator:Tls</c>. All three paths set: every gRPC endpoint serves HTTPS and requires a client
/// certificate issued by the federation CA, whose subject decides the caller's identity and role. None set: plaintext
/// HTTP/2 (h2c), for a federation on one machine's loopback only. Files come from <c>fedcare provision</c>; they and
/// the optional revocation list are reloaded when they change (<see cref="ReloadSeconds"/>).
/// </summary>
public sealed class TlsOptions
{
    /// <summary>The configuration section, below <see cref="CoordinatorOptions.SectionName"/>.</summary>
    public const string SectionName = CoordinatorOptions.SectionName + ":Tls";

    /// <summary>The coordinator's server certificate (PEM), e.g. <c>coordinator.pem</c>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The server certificate's private key (PEM, unencrypted), e.g. <c>coordinator-key.pem</c>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The federation CA certificate(s) (PEM) that client certificates must chain to, e.g. <c>ca.pem</c>.</summary>
    public string? ClientCaPath { get; set; }

    /// <summary>
    /// The federation CA's revocation list (X.509 CRL, PEM) that <c>fedcare provision --ca-dir DIR --revoke</c> writes,
    /// e.g. <c>crl.pem</c>; it must carry the CA's signature. A revoked certificate is refused in the handshake and on
    /// every call (Unauthenticated), and a node registered with it is dropped. Unset: nothing is revoked.
    /// </summary>
    public string? RevocationList { get; set; }

    /// <summary>
    /// How often, in seconds, the certificate, key, CA and revocation list files are checked for changes and reloaded
    /// without a restart; a changed file that cannot be used is logged and the previous one kept. Default 10.
    /// </summary>
    public double ReloadSeconds { get; set; } = 10;

    /// <summary>
    /// Days of validity left below which the coordinator's own certificate and each connected node's certificate are
    /// logged as a warning, at start, at a node's registration and once a day. 0: no warnings. Default 30.
    /// </summary>
    public int ExpiryWarningDays { get; set; } = 30;

    /// <summary>Whether any of the three is set (then all must be).</summary>
    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(KeyPath) || !string.IsNullOrWhiteSpace(ClientCaPath);
}
