using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using FederatedCare.Node.Sdk;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Agent;

/// <summary>
/// Renews the agent's TLS credentials without a restart: every <see cref="TlsOptions.ReloadSeconds"/> on the injected
/// <see cref="TimeProvider"/> it hashes the certificate, key and CA files (<see cref="FileFingerprint"/>); when any
/// changed it loads them as <see cref="CoordinatorTls.From"/> does at start (a certificate of this region with its
/// key, the federation CA) and hands them to <see cref="CoordinatorChannel.Renew"/>, so the agent reconnects and
/// registers again with the new certificate at once, long before the old one expires. Files that cannot be used (a
/// certificate copied before its key, another region's certificate) are logged as a warning and the previous
/// credentials stay in use; every poll looks again, and they are loaded once the files change again. Without
/// <c>NodeAgent:Tls</c> it does nothing.
/// </summary>
internal sealed class AgentTlsReloader(CoordinatorChannel channel, IOptions<NodeAgentOptions> options, TimeProvider time,
    ILogger<AgentTlsReloader> logger) : BackgroundService
{
    private readonly NodeAgentOptions _options = options.Value;
    private readonly Lock _gate = new();
    // The files' fingerprint when last loaded or tried: at first, what the channel was opened with moments before.
    private string _tried = Fingerprint(options.Value.Tls);

    /// <summary>Checks the files once and renews the channel's credentials if they changed; true when new ones are used.</summary>
    public bool ReloadIfChanged()
    {
        lock (_gate)
        {
            var fingerprint = Fingerprint(_options.Tls);
            if (fingerprint == _tried) return false;
            _tried = fingerprint;
            SslClientAuthenticationOptions? tls;
            try
            {
                tls = CoordinatorTls.From(_options);
            }
            catch (InvalidOperationException e)
            {
                AgentLog.TlsReloadFailed(logger, e.Message);
                return false;
            }
            if (tls?.ClientCertificates is not [X509Certificate2 certificate, ..]) return false;
            channel.Renew(tls);
            AgentLog.TlsReloaded(logger, certificate.Subject, certificate.SerialNumber, new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
            return true;
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Tls.IsConfigured) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.Tls.ReloadSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    ReloadIfChanged();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Whatever went wrong must not stop the polling (nor, as an unhandled exception, the agent).
                    AgentLog.TlsReloadFailed(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private static string Fingerprint(TlsOptions tls) => FileFingerprint.Of(tls.CertificatePath, tls.KeyPath, tls.CaPath);
}
