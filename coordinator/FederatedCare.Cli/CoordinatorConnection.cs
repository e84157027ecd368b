using System.CommandLine;
using System.Net.Security;
using FederatedCare.Protos.Security;
using FederatedCare.Protos.V1;
using Grpc.Net.Client;

namespace FederatedCare.Cli;

/// <summary>
/// The connection options every command shares — the coordinator address (<c>--coordinator</c>, or FEDCARE_COORDINATOR)
/// and, for mutual TLS, a certificate, its key and the federation CA (<c>--cert</c>, <c>--key</c>, <c>--ca</c>, or
/// FEDCARE_CERT, FEDCARE_KEY, FEDCARE_CA) — and the gRPC clients made from them.
/// </summary>
public static class CoordinatorConnection
{
    /// <summary>Default address when neither the option nor the environment variable is set.</summary>
    public const string DefaultAddress = "http://127.0.0.1:5050";

    /// <summary>The recursive <c>--coordinator</c> option.</summary>
    public static readonly Option<string> AddressOption = new("--coordinator", "-c")
    {
        Description = "Coordinator address (env FEDCARE_COORDINATOR).",
        Recursive = true,
        // An empty variable (FEDCARE_COORDINATOR= in a script) means unset, as for the TLS files.
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FEDCARE_COORDINATOR") is { Length: > 0 } address ? address : DefaultAddress,
    };

    /// <summary>The recursive <c>--cert</c> option: this user's certificate from <c>fedcare provision</c>.</summary>
    public static readonly Option<string?> CertificateOption = TlsFileOption("--cert", "FEDCARE_CERT",
        "Your certificate (PEM) for mutual TLS, e.g. operator-alice.pem");

    /// <summary>The recursive <c>--key</c> option: the certificate's private key.</summary>
    public static readonly Option<string?> KeyOption = TlsFileOption("--key", "FEDCARE_KEY",
        "Your certificate's private key (PEM), e.g. operator-alice-key.pem");

    /// <summary>The recursive <c>--ca</c> option: the federation CA, the only issuer trusted for the coordinator's certificate.</summary>
    public static readonly Option<string?> CaOption = TlsFileOption("--ca", "FEDCARE_CA", "The federation CA certificate (PEM), ca.pem");

    /// <summary>Opens a channel to the coordinator named on the command line, over mutual TLS when <c>--cert</c>, <c>--key</c> and <c>--ca</c> are given.</summary>
    /// <exception cref="UriFormatException">The address is not an absolute http:// or https:// address.</exception>
    /// <exception cref="TlsConfigurationException">Some but not all TLS files are given, one cannot be loaded, or the address is not https.</exception>
    public static GrpcChannel Open(ParseResult parse)
    {
        var address = parse.GetRequiredValue(AddressOption);
        // gRPC would take other schemes (dns://, ftp://) for name resolvers and fail later with an unhandled exception.
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new UriFormatException($"'{address}' is not an http:// or https:// address.");
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (ClientTls(parse, uri) is { } tls) handler.SslOptions = tls;
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, MaxReceiveMessageSize = 16 * 1024 * 1024 });
    }

    /// <summary>An Operator client for the command's coordinator.</summary>
    public static Operator.OperatorClient OperatorClient(ParseResult parse) => new(Open(parse));

    /// <summary>A Research client for the command's coordinator.</summary>
    public static Research.ResearchClient ResearchClient(ParseResult parse) => new(Open(parse));

    private static SslClientAuthenticationOptions? ClientTls(ParseResult parse, Uri address)
    {
        (Option<string?> Option, string? Path)[] files = [.. new[] { CertificateOption, KeyOption, CaOption }.Select(o => (o, parse.GetValue(o)))];
        if (files.All(f => f.Path is null)) return null;
        if (files.FirstOrDefault(f => f.Path is null) is { Option: { } missing })
            throw new TlsConfigurationException($"{missing.Name} is missing: --cert, --key and --ca (or FEDCARE_CERT, FEDCARE_KEY, FEDCARE_CA) go together.");
        if (address.Scheme != Uri.UriSchemeHttps)
            throw new TlsConfigurationException($"--cert, --key and --ca need an https:// coordinator address, not '{address.OriginalString}'.");
        var certificate = PemFiles.LoadCertificateWithKey(files[0].Path!, files[1].Path!, "--cert", "--key");
        return FederationTrust.ClientOptions(certificate, PemFiles.LoadCertificates(files[2].Path!, "--ca"));
    }

    private static Option<string?> TlsFileOption(string name, string variable, string description) => new(name)
    {
        Description = $"{description} (env {variable}).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } path ? path : null,
    };
}
