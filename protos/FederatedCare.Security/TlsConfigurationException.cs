namespace FederatedCare.Protos.Security;

/// <summary>
/// A TLS setting that cannot be used: a missing or unreadable certificate or key file, a file that holds no PEM
/// certificate or key, a key that does not match its certificate, an incomplete set of settings. The message is one
/// line that names the setting and the path, fit to print as the reason a program does not start.
/// </summary>
/// <remarks>It is an <see cref="InvalidOperationException"/>, which the hosts already report as a start-up error.</remarks>
public sealed class TlsConfigurationException(string message, Exception? inner = null) : InvalidOperationException(message, inner);
