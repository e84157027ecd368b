using FederatedCare.Cli.Provisioning;
using FederatedCare.Node.Sdk;
using FederatedCare.NodeAgent.Agent;
using FederatedCare.NodeAgent.Options;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.IntegrationTests.Security;

/// <summary>
/// The node agent's reload poll (NodeAgent:Tls:ReloadSeconds) on its clock, a <see cref="FakeTimeProvider"/> the test
/// advances: renewed files reach the channel (which then asks its loop to reconnect) at a tick; files that cannot be used are warned about and leave the channel as it was.
/// </summary>
public sealed class AgentTlsReloadPollTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Renewed_files_reach_the_channel_at_a_tick_and_a_certificate_without_its_key_does_not()
    {
        var pki = TestPki.Provision();
        var halland = TestPki.Node("Halland");
        var options = new NodeAgentOptions { Region = "Halland", CoordinatorAddress = "https://127.0.0.1:1" };
        (options.Tls.CertificatePath, options.Tls.KeyPath, options.Tls.CaPath) =
            (pki.Files.ClientCertificate(halland), pki.Files.ClientKey(halland), pki.Files.CaCertificate);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var log = new RecordingLogger<AgentTlsReloader>();
        using var channel = new CoordinatorChannel(options.CoordinatorAddress, CoordinatorTls.From(options), TimeSpan.FromSeconds(5));
        using var reloader = new AgentTlsReloader(channel, Options.Create(options), clock, log);
        await reloader.StartAsync(CancellationToken.None);
        using var ca = FederationCa.Load(pki.Files.CaCertificate, pki.Files.CaKey);
        var now = DateTimeOffset.UtcNow;
        using var renewed = ca.IssueClient(halland, now.AddHours(-1), now.AddDays(1));

        // The certificate copied before its key: a warning at a tick, and nothing renewed.
        File.WriteAllText(pki.Files.ClientCertificate(halland), renewed.ExportCertificatePem() + "\n");
        await AdvanceUntilAsync(clock, () => log.Messages(44).Count > 0);
        Assert.False(channel.RenewalRequested.IsCancellationRequested);

        PkiFiles.Write(renewed, pki.Files.ClientCertificate(halland), pki.Files.ClientKey(halland));
        await AdvanceUntilAsync(clock, () => channel.RenewalRequested.IsCancellationRequested);
        Assert.Contains($"serial {renewed.SerialNumber}", Assert.Single(log.Messages(43)), StringComparison.Ordinal);

        Assert.True(channel.ApplyRenewal());
        Assert.False(channel.RenewalRequested.IsCancellationRequested, "a fresh token once applied");
        await reloader.StopAsync(CancellationToken.None);
    }

    // Advances the clock a poll period at a time until the condition holds (the poll runs beside the test).
    private static async Task AdvanceUntilAsync(FakeTimeProvider clock, Func<bool> done)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (!done())
        {
            clock.Advance(TimeSpan.FromSeconds(new TlsOptions().ReloadSeconds));
            await Task.Delay(20, patience.Token);
        }
    }
}
