namespace FederatedCare.Coordinator.Security;

/// <summary>
/// Mutual TLS, section <c>Coordinator:Tls</c>. All three paths set: every endpoint serves HTTPS and requires a client
/// certificate issued by the federation CA, whose subject decides the caller's identity and role. None set: plaintext
/// HTTP/2 (h2c), for a federation on one machine's loopback only. Files come from <c>fedcare provision</c>.
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

    /// <summary>Whether any of the three is set (then all must be).</summary>
    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(KeyPath) || !string.IsNullOrWhiteSpace(ClientCaPath);
}
