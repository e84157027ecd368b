namespace FederatedCare.NodeAgent.Options;

/// <summary>
/// Mutual TLS to the coordinator, section <c>NodeAgent:Tls</c> (files from <c>fedcare provision</c>). All three set:
/// the agent connects over https, presents its region's certificate, and accepts only a coordinator certificate issued
/// by the federation CA. None set: plaintext, as for a loopback demo. Renewed files need no restart (<see cref="ReloadSeconds"/>).
/// </summary>
public sealed class TlsOptions
{
    /// <summary>This region's certificate (PEM), e.g. <c>node-halland.pem</c>; its CN must be <see cref="NodeAgentOptions.Region"/>.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>Its private key (PEM, unencrypted), e.g. <c>node-halland-key.pem</c>.</summary>
    public string KeyPath { get; set; } = "";

    /// <summary>The federation CA certificate (PEM), <c>ca.pem</c>: the only issuer trusted for the coordinator's certificate.</summary>
    public string CaPath { get; set; } = "";

    /// <summary>
    /// How often, in seconds, the three files are checked for changes; changed files that can be used (a certificate of
    /// this region with its key, and the CA) are used from the next connection on, and the agent reconnects with them at
    /// once. Files that cannot be used yet (a certificate copied before its key) are logged and the previous ones kept.
    /// Default 10.
    /// </summary>
    public double ReloadSeconds { get; set; } = 10;

    /// <summary>Whether any of the three is set (then all must be).</summary>
    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(KeyPath) || !string.IsNullOrWhiteSpace(CaPath);
}
