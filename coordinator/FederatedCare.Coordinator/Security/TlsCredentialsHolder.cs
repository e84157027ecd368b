namespace FederatedCare.Coordinator.Security;

/// <summary>
/// The TLS material in use now. Kestrel's certificate selector, the handshake's client certificate check and the
/// authorisation interceptor read <see cref="Current"/> on every handshake or call; <see cref="TlsFileReloader"/>
/// replaces it when the files change, so a renewed certificate or a new revocation list needs no restart.
/// </summary>
internal sealed class TlsCredentialsHolder(TlsCredentials initial)
{
    private volatile TlsCredentials _current = initial;

    public TlsCredentials Current => _current;

    public void Swap(TlsCredentials next) => _current = next;
}
