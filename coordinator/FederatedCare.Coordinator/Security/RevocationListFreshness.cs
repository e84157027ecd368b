namespace FederatedCare.Coordinator.Security;

/// <summary>
/// Flags a revocation list past its next update (RFC 5280's nextUpdate, the date the CA promised a newer list by):
/// revocations made since may be missing from it. The list stays in force — refusing every certificate because of a
/// stale list would stop the whole federation over a file nobody copied — so the coordinator only says so: at every
/// reload poll (<see cref="TlsFileReloader"/>) <see cref="Check"/> logs a warning, at most once a day for the same
/// list (a newly loaded stale list is warned about at once), and <see cref="IsStale"/> feeds the gauge
/// <c>fedcare_revocation_list_stale</c> on <c>/metrics</c>. Time is the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class RevocationListFreshness(TlsCredentialsHolder tls, TimeProvider time, ILogger<RevocationListFreshness> logger)
{
    /// <summary>How long a warning about the same stale list lasts before it is repeated.</summary>
    public static readonly TimeSpan WarningInterval = TimeSpan.FromDays(1);

    private readonly Lock _gate = new();
    private (Protos.Security.RevocationList? List, DateTimeOffset At) _warned;

    /// <summary>Whether the list in use is past its next update now (false without a list, or one that names no next update).</summary>
    public bool IsStale => tls.Current.Revocations is { NextUpdate: { } next } && time.GetUtcNow() > next;

    /// <summary>Logs a warning when the list in use is stale and was not warned about within <see cref="WarningInterval"/>; true when it did.</summary>
    public bool Check()
    {
        var list = tls.Current.Revocations;
        var now = time.GetUtcNow();
        if (list?.NextUpdate is not { } next || now <= next) return false;
        lock (_gate)
        {
            if (ReferenceEquals(_warned.List, list) && now - _warned.At < WarningInterval) return false;
            _warned = (list, now);
        }
        SecurityLog.RevocationListStale(logger, list.Issuer.Name, list.ThisUpdate, next, Math.Round((now - next).TotalDays, 1));
        return true;
    }
}
