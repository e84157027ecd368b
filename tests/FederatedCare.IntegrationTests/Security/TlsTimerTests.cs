using System.Diagnostics.Metrics;
using FederatedCare.Cli.Provisioning;
using FederatedCare.Coordinator;
using FederatedCare.Coordinator.Extensions;
using FederatedCare.Coordinator.Federation;
using FederatedCare.Coordinator.Security;
using FederatedCare.Federation.Core.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.IntegrationTests.Security;

/// <summary>
/// The coordinator's TLS timers on its clock, a <see cref="FakeTimeProvider"/> the test advances: the reload poll
/// (Coordinator:Tls:ReloadSeconds) picks up a renewed certificate and flags a revocation list past its next update, the
/// expiry check runs at start and once a day, and a stale list is warned about at most once a day and shows on the
/// gauge <c>fedcare_revocation_list_stale</c>. Nothing waits for real time: effects of a tick are polled for.
/// </summary>
public sealed class TlsTimerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task The_reload_poll_serves_a_renewed_certificate_and_flags_a_stale_revocation_list_on_the_coordinators_clock()
    {
        var pki = TestPki.Provision(); // certificates and the empty list's next update two days away
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var freshnessLog = new RecordingLogger<RevocationListFreshness>();
        await using var coordinator = await CoordinatorHost.StartAsync(
            [$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}", .. pki.CoordinatorArgs(), "--Coordinator:Tls:ReloadSeconds=10"],
            builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(clock);
                builder.Services.AddSingleton<ILogger<RevocationListFreshness>>(freshnessLog);
            });
        var holder = coordinator.App.Services.GetRequiredService<TlsCredentialsHolder>();
        using var ca = FederationCa.Load(pki.Files.CaCertificate, pki.Files.CaKey);
        var now = DateTimeOffset.UtcNow;
        using var renewed = ca.IssueServer(ProvisioningPlan.LoopbackHosts, now.AddHours(-1), now.AddDays(1));
        PkiFiles.Write(renewed, pki.Files.ServerCertificate, pki.Files.ServerKey);

        // The clock has not moved: no poll has run.
        Assert.NotEqual(renewed.SerialNumber, holder.Current.ServerCertificate.SerialNumber);
        await AdvanceUntilAsync(clock, TimeSpan.FromSeconds(10), () => holder.Current.ServerCertificate.SerialNumber == renewed.SerialNumber);
        Assert.Empty(freshnessLog.Messages(411));

        clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromHours(1));
        await AdvanceUntilAsync(clock, TimeSpan.FromSeconds(10), () => freshnessLog.Messages(411).Count > 0);
        var warning = Assert.Single(freshnessLog.Messages(411));
        Assert.Contains("is past its next update", warning, StringComparison.Ordinal);
        Assert.Contains("It stays in force", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_expiry_check_runs_at_start_and_then_once_a_day_on_the_coordinators_clock()
    {
        var pki = TestPki.Provision(); // valid for two days: below a warning at two days from the start
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = Options.Create(new CoordinatorOptions { Tls = Tls(pki, warningDays: 2) });
        var log = new RecordingLogger<CertificateExpiryMonitor>();
        using var monitor = new CertificateExpiryMonitor(new NodeRegistry(clock, options), options, clock, log,
            new TlsCredentialsHolder(TlsCredentials.Load(options.Value.Tls)));
        using var stop = new CancellationTokenSource(Patience);

        await monitor.StartAsync(stop.Token);
        await UntilAsync(() => log.Messages(409).Count == 1);
        // The timer is set before the check at start: one day on the clock is one more check.
        clock.Advance(CertificateExpiryMonitor.Interval);
        await UntilAsync(() => log.Messages(409).Count == 2);
        clock.Advance(CertificateExpiryMonitor.Interval);
        await UntilAsync(() => log.Messages(409).Count == 3);
        await monitor.StopAsync(CancellationToken.None);

        Assert.All(log.Messages(409), m => Assert.StartsWith("The certificate of coordinator (", m, StringComparison.Ordinal));
        Assert.Contains("-1 days left", log.Messages(409)[2], StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_past_its_next_update_stays_in_force_is_warned_about_once_a_day_and_a_newly_loaded_stale_one_at_once()
    {
        var pki = TestPki.Provision(); // the empty list's next update two days away
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var tls = Tls(pki, warningDays: 30);
        var holder = new TlsCredentialsHolder(TlsCredentials.Load(tls));
        var log = new RecordingLogger<RevocationListFreshness>();
        var freshness = new RevocationListFreshness(holder, clock, log);
        using var metrics = new FederationMetrics(revocationListStale: () => freshness.IsStale);

        Assert.Equal((false, false, 0), (freshness.IsStale, freshness.Check(), StaleGauge()));
        clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        Assert.Equal((true, true, 1), (freshness.IsStale, freshness.Check(), StaleGauge()));
        clock.Advance(TimeSpan.FromHours(23));
        Assert.False(freshness.Check(), "warned about within the day");
        clock.Advance(TimeSpan.FromHours(1));
        Assert.True(freshness.Check(), "a day later, again");

        // A newer list, revoking bob, whose own next update (a day from the real now) has passed on this clock too.
        pki.Revoke("bob");
        holder.Swap(TlsCredentials.Load(tls));
        Assert.True(freshness.Check(), "a newly loaded stale list is warned about at once");
        Assert.True(holder.Current.IsRevoked(pki.Certificate(TestPki.Bob)), "a stale list stays in force");
        Assert.Equal(3, log.Messages(411).Count);
    }

    private static TlsOptions Tls(TestPki pki, int warningDays) => new()
    {
        CertificatePath = pki.Files.ServerCertificate,
        KeyPath = pki.Files.ServerKey,
        ClientCaPath = pki.Files.CaCertificate,
        RevocationList = pki.Files.RevocationList,
        ExpiryWarningDays = warningDays,
    };

    // The gauge as an exporter reads it: the sum over this process's coordinators (only this test's can be stale).
    private static int StaleGauge()
    {
        int sum = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument is { Name: "fedcare_revocation_list_stale", Meter.Name: FederationMetrics.MeterName }) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => sum += value);
        listener.Start();
        listener.RecordObservableInstruments();
        return sum;
    }

    // Advances the clock one step at a time until the condition holds: a tick's work runs beside the test, and the
    // service may not have set its timer yet when the first step is taken.
    private static async Task AdvanceUntilAsync(FakeTimeProvider clock, TimeSpan step, Func<bool> done)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (!done())
        {
            clock.Advance(step);
            await Task.Delay(20, patience.Token);
        }
    }

    // Polls a condition (never a deadline the test waits out).
    private static async Task UntilAsync(Func<bool> done)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (!done()) await Task.Delay(20, patience.Token);
    }
}
