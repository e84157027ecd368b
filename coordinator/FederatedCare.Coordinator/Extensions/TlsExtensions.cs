using FederatedCare.Coordinator.Security;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace FederatedCare.Coordinator.Extensions;

/// <summary>Kestrel's transport security from <c>Coordinator:Tls</c>: mutual TLS with the federation CA, or plaintext with a warning.</summary>
internal static class TlsExtensions
{
    /// <summary>
    /// With <see cref="TlsOptions.IsConfigured"/>: every endpoint (whatever the scheme in <c>--urls</c>, so none is
    /// left plaintext by mistake) serves HTTPS with the certificate <see cref="TlsCredentialsHolder"/> holds at each
    /// handshake, requires a client certificate that <see cref="ClientCertificateValidator"/> accepts, and every call
    /// passes <see cref="CertificateAuthorizationInterceptor"/>; <see cref="TlsFileReloader"/> reloads the files when
    /// they change and <see cref="CertificateExpiryMonitor"/> warns before certificates expire. Without: h2c as before,
    /// and a warning at start.
    /// </summary>
    public static WebApplicationBuilder AddCoordinatorTls(this WebApplicationBuilder builder, TlsOptions tls)
    {
        // Registered either way: the Federation service tells it about each registration (without TLS it has nothing to check).
        builder.Services.AddSingleton<CertificateExpiryMonitor>();
        if (!tls.IsConfigured)
        {
            builder.WebHost.ConfigureKestrel(kestrel => SecurityLog.PlaintextWarning(Logger(kestrel.ApplicationServices)));
            return builder;
        }

        // Loaded when first resolved: CoordinatorHost.RunAsync does that before anything starts, so a bad file is a
        // one-line start-up error.
        builder.Services.AddSingleton(_ => new TlsCredentialsHolder(TlsCredentials.Load(tls)));
        builder.Services.AddSingleton<ClientCertificateValidator>();
        // Stateless apart from the holder it reads, so one instance serves every call (gRPC takes a registered
        // interceptor from the container).
        builder.Services.AddSingleton<CertificateAuthorizationInterceptor>();
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<CertificateAuthorizationInterceptor>());
        builder.Services.AddSingleton<RevokedNodeEviction>();
        builder.Services.AddSingleton<RevocationListFreshness>();
        builder.Services.AddSingleton<TlsFileReloader>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TlsFileReloader>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CertificateExpiryMonitor>());
        // Endpoint defaults run when the endpoints bind, at start: the files are read there (or before, by RunAsync),
        // not while the application is being built, where an error could not be reported as a start-up error.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
        {
            var services = kestrel.ApplicationServices;
            var holder = services.GetRequiredService<TlsCredentialsHolder>();
            var validator = services.GetRequiredService<ClientCertificateValidator>();
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                // Read at every handshake, so a renewed certificate serves the next connection without a restart.
                ServerCertificateSelector = (_, _) => holder.Current.ServerCertificate,
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                ClientCertificateValidation = (certificate, _, _) => validator.IsValid(certificate),
                // The platform's check would look for CRLs the certificates do not point to; the validator checks the
                // federation's own list (Coordinator:Tls:RevocationList) instead.
                CheckCertificateRevocation = false,
            });
            var current = holder.Current;
            SecurityLog.MutualTls(Logger(services), $"{listen.EndPoint}",
                current.ServerCertificate.Subject, string.Join(" / ", current.ClientCa.Select(c => c.Subject)));
        }));
        return builder;
    }

    private static ILogger Logger(IServiceProvider services) => services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SecurityLog));
}
