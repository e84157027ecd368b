using FederatedCare.Coordinator.Security;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace FederatedCare.Coordinator.Extensions;

/// <summary>Kestrel's transport security from <c>Coordinator:Tls</c>: mutual TLS with the federation CA, or plaintext with a warning.</summary>
internal static class TlsExtensions
{
    /// <summary>
    /// With <see cref="TlsOptions.IsConfigured"/>: every endpoint (whatever the scheme in <c>--urls</c>, so none is
    /// left plaintext by mistake) serves HTTPS, requires a client certificate that <see cref="ClientCertificateValidator"/>
    /// accepts, and every call passes <see cref="CertificateAuthorizationInterceptor"/>. Without: h2c as before, and a
    /// warning at start.
    /// </summary>
    public static WebApplicationBuilder AddCoordinatorTls(this WebApplicationBuilder builder, TlsOptions tls)
    {
        if (!tls.IsConfigured)
        {
            builder.WebHost.ConfigureKestrel(kestrel => SecurityLog.PlaintextWarning(Logger(kestrel.ApplicationServices)));
            return builder;
        }

        // Loaded when first resolved: CoordinatorHost.RunAsync does that before anything starts, so a bad file is a
        // one-line start-up error.
        builder.Services.AddSingleton(_ => TlsCredentials.Load(tls));
        builder.Services.AddSingleton<ClientCertificateValidator>();
        // Stateless, so one instance serves every call (gRPC takes a registered interceptor from the container).
        builder.Services.AddSingleton<CertificateAuthorizationInterceptor>();
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<CertificateAuthorizationInterceptor>());
        // Endpoint defaults run when the endpoints bind, at start: the files are read there (or before, by RunAsync),
        // not while the application is being built, where an error could not be reported as a start-up error.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
        {
            var services = kestrel.ApplicationServices;
            var credentials = services.GetRequiredService<TlsCredentials>();
            var validator = services.GetRequiredService<ClientCertificateValidator>();
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = credentials.ServerCertificate,
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                ClientCertificateValidation = (certificate, _, _) => validator.IsValid(certificate),
                // No revocation list exists yet (see FederationTrust.ChainPolicy); the validator decides alone.
                CheckCertificateRevocation = false,
            });
            SecurityLog.MutualTls(Logger(services), $"{listen.EndPoint}",
                credentials.ServerCertificate.Subject, string.Join(" / ", credentials.ClientCa.Select(c => c.Subject)));
        }));
        return builder;
    }

    private static ILogger Logger(IServiceProvider services) => services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SecurityLog));
}
