using FederatedCare.Coordinator.Federation;
using Microsoft.Extensions.Options;

namespace FederatedCare.Coordinator.Security;

/// <summary>
/// Warns before certificates run out: at start and then once a day on the injected <see cref="TimeProvider"/>, it logs
/// the coordinator's own certificate and each registered node's when fewer than
/// <see cref="TlsOptions.ExpiryWarningDays"/> days are left (or it has expired), and a node that registers with such a
/// certificate is logged at once. A renewed certificate needs no restart (<see cref="TlsFileReloader"/>). Without TLS
/// there are no certificates and it does nothing.
/// </summary>
internal sealed class CertificateExpiryMonitor(NodeRegistry registry, IOptions<CoordinatorOptions> options, TimeProvider time,
    ILogger<CertificateExpiryMonitor> logger, TlsCredentialsHolder? tls = null) : BackgroundService
{
    /// <summary>How often the certificates are checked after the check at start.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    /// <summary>Whole days left until <paramref name="notAfter"/> at <paramref name="now"/>, rounded down (negative once expired).</summary>
    public static int DaysLeft(DateTimeOffset notAfter, DateTimeOffset now) => (int)Math.Floor((notAfter - now).TotalDays);

    /// <summary>Checks the coordinator's and every registered node's certificate; returns whose were logged ("coordinator", "region Halland").</summary>
    public IReadOnlyList<string> Check()
    {
        var warned = new List<string>();
        if (tls is not null && Warn("coordinator", PeerCertificate.From(tls.Current.ServerCertificate))) warned.Add("coordinator");
        foreach (var session in registry.All)
            if (session.Certificate is { } certificate && Warn($"region {session.Region}", certificate))
                warned.Add($"region {session.Region}");
        return warned;
    }

    /// <summary>Logs a node that just registered when its certificate is about to expire.</summary>
    public void Registered(NodeSession session)
    {
        if (session.Certificate is { } certificate) Warn($"region {session.Region}", certificate);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (tls is null) return;
        // The timer first: a day counts from the start, and a check logged at start means the next one is scheduled.
        using var timer = new PeriodicTimer(Interval, time);
        Check();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) Check();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private bool Warn(string whose, PeerCertificate certificate)
    {
        int warningDays = options.Value.Tls.ExpiryWarningDays;
        var now = time.GetUtcNow();
        if (warningDays <= 0 || certificate.NotAfter - now >= TimeSpan.FromDays(warningDays)) return false;
        SecurityLog.CertificateExpiring(logger, whose, certificate.Subject, certificate.Serial, certificate.NotAfter,
            DaysLeft(certificate.NotAfter, now), warningDays);
        return true;
    }
}
