using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using FederatedCare.Coordinator.Extensions;
using FederatedCare.Protos.Security;

namespace FederatedCare.IntegrationTests.Security;

/// <summary>
/// The web endpoint over HTTPS with the coordinator's certificate, next to mutual-TLS gRPC: an operator's or
/// researcher's federation certificate signs in, so does the read-only token without one; a node's certificate and no
/// credential do not; the probes need none.
/// </summary>
public sealed class WebSignInTlsTests
{
    private const string Token = "read-only-token-for-researchers";

    [Fact]
    public async Task Operator_and_researcher_certificates_or_the_token_sign_in_and_a_node_certificate_does_not()
    {
        var pki = TestPki.Provision();
        await using var coordinator = await CoordinatorHost.StartAsync([$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}",
            .. pki.CoordinatorArgs(), "--Coordinator:Web:Urls=https://127.0.0.1:0", $"--Coordinator:Web:ReadOnlyToken={Token}"]);
        var web = coordinator.WebAddress!;
        Assert.Equal("https", web.Scheme);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(Client(pki, pki.Certificate(TestPki.Bob)), web, "/api/jobs"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(Client(pki, pki.Certificate(TestPki.Alice)), web, "/"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(Client(pki, pki.Certificate(TestPki.Node("Halland"))), web, "/api/jobs"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(Client(pki, null), web, "/api/jobs"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(Client(pki, null), web, "/api/jobs", Token));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(Client(pki, null), web, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(Client(pki, null), web, "/readyz"));
    }

    private static HttpClient Client(TestPki pki, X509Certificate2? certificate) => new(new SocketsHttpHandler
    {
        SslOptions = certificate is null
            ? new SslClientAuthenticationOptions { CertificateChainPolicy = FederationTrust.ChainPolicy(pki.Ca, FederationTrust.ServerAuthentication) }
            : FederationTrust.ClientOptions(certificate, pki.Ca),
    });

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, Uri web, string path, string? bearer = null)
    {
        using (client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(web, path));
            if (bearer is not null) request.Headers.Authorization = new("Bearer", bearer);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }
    }
}
