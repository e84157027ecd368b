using FederatedCare.Protos.Security;
using Microsoft.Extensions.Options;

namespace FederatedCare.Coordinator.Security;

/// <summary>
/// Reloads the TLS files without a restart. Every <see cref="TlsOptions.ReloadSeconds"/> on the injected
/// <see cref="TimeProvider"/> it hashes the certificate, key, CA and revocation list files; when any changed it loads
/// them as one set (<see cref="TlsCredentials.Load"/>) and swaps it into <see cref="TlsCredentialsHolder"/>: the next
/// handshake serves the new certificate and checks clients against the new CA and list, the next call on an open
/// connection is checked against the new list, and registered nodes the list revokes are dropped
/// (<see cref="RevokedNodeEviction"/>). A set that cannot be used (a certificate copied before its key, a list the CA
/// did not sign) is logged and the previous set stays in use; it is tried again once the files change again. Contents
/// are hashed (<see cref="FileFingerprint"/>), so a copy that keeps the old modification time still counts. At start
/// and at every poll it has <see cref="RevocationListFreshness"/> check the list in use against its next update.
/// </summary>
internal sealed class TlsFileReloader : BackgroundService
{
    private readonly TlsCredentialsHolder _holder;
    private readonly RevokedNodeEviction _eviction;
    private readonly RevocationListFreshness _freshness;
    private readonly TlsOptions _tls;
    private readonly TimeProvider _time;
    private readonly ILogger<TlsFileReloader> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    // The files' fingerprint when last loaded or tried: at first, what the holder was loaded from moments before.
    private string _tried;

    public TlsFileReloader(TlsCredentialsHolder holder, RevokedNodeEviction eviction, RevocationListFreshness freshness,
        IOptions<CoordinatorOptions> options, TimeProvider time, ILogger<TlsFileReloader> logger)
    {
        (_holder, _eviction, _freshness, _tls, _time, _logger) = (holder, eviction, freshness, options.Value.Tls, time, logger);
        _tried = Fingerprint(_tls);
    }

    /// <summary>Checks the files once and reloads them if they changed; true when a new set is in use.</summary>
    public async Task<bool> ReloadIfChangedAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var fingerprint = Fingerprint(_tls);
            if (fingerprint == _tried) return false;
            _tried = fingerprint;
            TlsCredentials next;
            try
            {
                next = TlsCredentials.Load(_tls);
            }
            catch (InvalidOperationException e)
            {
                SecurityLog.ReloadFailed(_logger, e.Message);
                return false;
            }
            _holder.Swap(next);
            SecurityLog.Reloaded(_logger, next.ServerCertificate.Subject, next.ServerCertificate.SerialNumber,
                new DateTimeOffset(next.ServerCertificate.NotAfter.ToUniversalTime()), string.Join(" / ", next.ClientCa.Select(c => c.Subject)),
                next.Revocations?.Serials.Count ?? 0);
            await _eviction.EvictAsync(next, ct).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_tls.ReloadSeconds), _time);
        _freshness.Check();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await ReloadIfChangedAsync(stoppingToken).ConfigureAwait(false);
                    _freshness.Check();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // An audit write that failed must not stop the reloading (nor, as an unhandled exception, the host).
                    SecurityLog.ReloadFailed(_logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private static string Fingerprint(TlsOptions tls) =>
        FileFingerprint.Of(tls.CertificatePath, tls.KeyPath, tls.ClientCaPath, tls.RevocationList);
}
