using FederatedCare.Coordinator.Extensions;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.IntegrationTests.Bounds;

/// <summary>
/// Issue 14, item 3, over loopback against a real coordinator: strings and collections beyond the contract's
/// <see cref="WireLimits"/> are refused with InvalidArgument naming the field and the limit before they are logged or
/// stored; a forged log line stays one escaped line; ListNodes stays far below gRPC's 4 MB whatever registered; and
/// refused uploads cannot grow the database.
/// </summary>
public class RequestBoundsTests
{
    // Short enough for the length bound: only its characters are wrong.
    private const string Forged = "Halland\r\n[INF] Node 0000 registered for Karolinska\u001b[2K";

    public static TheoryData<string, RegisterRequest, string> OversizeRegistrations() => new()
    {
        { "1 MB region", new RegisterRequest { Region = new string('a', 1 << 20) }, "region: at most 64 characters, got 1048576." },
        { "200 000 emoji", new RegisterRequest { Region = string.Concat(Enumerable.Repeat("😀", 100_000)) }, "region: at most 64 characters, got 200000." },
        { "CR LF and ESC", new RegisterRequest { Region = Forged }, "region: character U+000D at index 7 is not allowed; a region identifier has letters, digits, '-', '_' and '.' only (no spaces: put those in the region's display name)." },
        { "emoji in a short name", new RegisterRequest { Region = "Halland😀" }, "region: character U+D83D at index 7 is not allowed; a region identifier has letters, digits, '-', '_' and '.' only (no spaces: put those in the region's display name)." },
        { "ESC in the display name", new RegisterRequest { Region = "Halland", DisplayName = "Region\u001b[2K" }, "display_name: character U+001B at index 6 is not allowed (control characters and broken UTF-16 are refused)." },
        { "a long display name", new RegisterRequest { Region = "Halland", DisplayName = new string('x', 129) }, "display_name: at most 128 characters, got 129." },
        { "1 MB agent version", new RegisterRequest { Region = "Halland", AgentVersion = new string('1', 1 << 20) }, "agent_version: at most 64 characters, got 1048576." },
        { "ESC in the device", new RegisterRequest { Region = "Halland", Device = "cpu\u001b[31m" }, "device: control character U+001B at index 3 is not allowed." },
        { "10 000 datasets", new RegisterRequest { Region = "Halland", Datasets = { Enumerable.Range(0, 10_000).Select(i => $"d{i}") } }, "datasets: at most 64 entries, got 10000." },
        { "a long dataset name", new RegisterRequest { Region = "Halland", Datasets = { "heart", new string('x', 129) } }, "datasets[1]: at most 128 characters, got 129." },
        { "a clock beyond any date", new RegisterRequest { Region = "Halland", AgentTimeUnixMs = long.MaxValue }, "agent_time_unix_ms: 0 (unknown) or a Unix time in milliseconds up to 253402300799999 (the end of year 9999), got 9223372036854775807." },
        { "a clock before 1970", new RegisterRequest { Region = "Halland", AgentTimeUnixMs = -1 }, "agent_time_unix_ms: 0 (unknown) or a Unix time in milliseconds up to 253402300799999 (the end of year 9999), got -1." },
    };

    [Theory]
    [MemberData(nameof(OversizeRegistrations))]
    public async Task An_oversize_or_control_character_registration_is_refused_naming_the_field_and_limit(string what, RegisterRequest request, string reason)
    {
        var log = new CapturedLog();
        await using var coordinator = await CoordinatorHost.StartAsync([$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}"], log.Attach);
        var federation = new Protos.V1.Federation.FederationClient(coordinator.CreateChannel());

        var e = await Assert.ThrowsAsync<RpcException>(() => federation.RegisterAsync(request).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, reason), (e.StatusCode, e.Status.Detail));
        Assert.Empty((await new Operator.OperatorClient(coordinator.CreateChannel()).ListNodesAsync(new ListNodesRequest())).Nodes);
        // The refusal is logged on one line, with the caller's value escaped and cut: nothing it sent starts a line.
        var refused = Assert.Single(log.Text.Split('\n'), l => l.Contains("refused (InvalidArgument)", StringComparison.Ordinal));
        Assert.True(refused.Length < 1000, $"{what}: the log line holds {refused.Length} characters");
        Assert.DoesNotContain(log.Text, c => c is '\r' or '\u001b');
        Assert.DoesNotContain(log.Text.Split('\n'), l => l.StartsWith("[INF] Node 0000", StringComparison.Ordinal));
        if (request.Region == Forged)
            Assert.Contains(@"Registration for region Halland\u000D\u000A[INF] Node 0000 registered for Karolinska\u001B[2K refused", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unicode_letters_digits_and_the_allowed_marks_register_with_display_names_that_have_spaces()
    {
        await using var coordinator = await CoordinatorHost.StartAsync([$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}"]);
        var federation = new Protos.V1.Federation.FederationClient(coordinator.CreateChannel());
        foreach (var (region, displayName) in new[] { ("Örebro", ""), ("Vastra_Gotaland", "Region Västra Götaland"), ("St.Göran_2-Nord", "St. Göran 2 Nord"), ("Jo\u0308nko\u0308ping", "Region Jönköpings län") })
            Assert.NotEmpty((await federation.RegisterAsync(new RegisterRequest { Region = region, DisplayName = displayName, AgentVersion = "1.0", Device = "cpu" })).NodeId);
    }

    [Fact]
    public async Task Oversize_metrics_statistics_and_refusals_are_refused_before_their_job_is_looked_up()
    {
        await using var coordinator = await CoordinatorHost.StartAsync([$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}"]);
        var federation = new Protos.V1.Federation.FederationClient(coordinator.CreateChannel());
        var node = await federation.RegisterAsync(new RegisterRequest { Region = "Halland" });
        var headers = new Metadata { { WireNames.Headers.NodeId, node.NodeId } };

        async Task<string> Refused(Func<Task> call) => (await Assert.ThrowsAsync<RpcException>(call)) is var e && e.StatusCode == StatusCode.InvalidArgument
            ? e.Status.Detail : $"{e.StatusCode}: {e.Status.Detail}";

        Assert.Equal("metrics[0].num_examples: at most 1000000000, got 9223372036854775807.", await Refused(() => federation.ReportMetricsAsync(new ReportMetricsRequest
        {
            JobId = "job", Round = 1, Metrics = { new RegionMetrics { Split = "test", NumExamples = long.MaxValue } },
        }, headers).ResponseAsync));
        Assert.Equal("metrics[0].split: at most 64 characters, got 1048576.", await Refused(() => federation.ReportMetricsAsync(new ReportMetricsRequest
        {
            JobId = "job", Round = 1, Metrics = { new RegionMetrics { Split = new string('s', 1 << 20) } },
        }, headers).ResponseAsync));
        Assert.Equal("refusal: at most 2000 characters, got 1048576.", await Refused(() => federation.ReportStatisticsAsync(
            new ReportStatisticsRequest { JobId = "job", Refusal = new string('r', 1 << 20) }, headers).ResponseAsync));
        Assert.Equal("refusal: control character U+000A at index 2 is not allowed.", await Refused(() => federation.ReportAnalysisAsync(
            new ReportAnalysisRequest { JobId = "job", Round = 1, Refusal = "no\nthanks" }, headers).ResponseAsync));
        Assert.Equal("statistics.train_rows: at most 1000000000, got 1000000000000.", await Refused(() => federation.ReportStatisticsAsync(
            new ReportStatisticsRequest { JobId = "job", Statistics = new LocalStatistics { TrainRows = 1_000_000_000_000 } }, headers).ResponseAsync));
        Assert.Equal("job_id: at most 64 characters, got 65.", await Refused(() => federation.ReportMetricsAsync(
            new ReportMetricsRequest { JobId = new string('j', 65) }, headers).ResponseAsync));
        Assert.Equal("model_sha256: a SHA-256 is 64 hex digits.", await Refused(() => ReadAllAsync(federation.DownloadModel(
            new DownloadModelRequest { JobId = "job", ModelSha256 = "../../etc/passwd" }, headers))));
        Assert.Equal("x-node-id: at most 64 characters, got 4000.", await Refused(() => federation.HeartbeatAsync(new HeartbeatRequest(),
            new Metadata { { WireNames.Headers.NodeId, new string('n', 4000) } }).ResponseAsync));
        var op = new Operator.OperatorClient(coordinator.CreateChannel());
        Assert.Equal("reason: at most 500 characters, got 100000.", await Refused(() => op.AbortJobAsync(
            new AbortJobRequest { JobId = "job", Reason = new string('x', 100_000) }).ResponseAsync));
        Assert.Equal("job_id: control character U+001B at index 3 is not allowed.", await Refused(() => new Research.ResearchClient(coordinator.CreateChannel())
            .ListRoundsAsync(new ListRoundsRequest { JobId = "job\u001b[2J" }).ResponseAsync));
    }

    [Fact]
    public async Task ListNodes_after_a_thousand_registrations_of_maximal_names_stays_far_below_4_MB()
    {
        await using var coordinator = await CoordinatorHost.StartAsync([$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}"]);
        var federation = new Protos.V1.Federation.FederationClient(coordinator.CreateChannel());
        // 64 characters of three UTF-8 bytes each (a CJK letter), the longest version and device, 64 maximal datasets;
        // 1 200 regions, beyond the registry's default of 1 000: the longest-silent ones give way.
        var datasets = Enumerable.Range(0, WireLimits.Datasets).Select(i => $"{i:D3}" + new string('d', WireLimits.DatasetChars - 3)).ToList();
        for (int i = 0; i < 1200; i++)
            await federation.RegisterAsync(new RegisterRequest
            {
                Region = $"{i:D4}" + new string('鎮', WireLimits.RegionChars - 4),
                AgentVersion = new string('v', WireLimits.AgentVersionChars),
                Device = new string('c', WireLimits.DeviceChars),
                Datasets = { datasets },
            });

        var nodes = await new Operator.OperatorClient(coordinator.CreateChannel()).ListNodesAsync(new ListNodesRequest());

        Assert.Equal(1000, nodes.Nodes.Count);
        Assert.InRange(nodes.CalculateSize(), 1, 4 * 1024 * 1024 / 10);
        Assert.Contains(nodes.Nodes, n => n.Region.StartsWith("1199", StringComparison.Ordinal)); // the newest got in
    }

    [Fact]
    public async Task A_thousand_refused_uploads_with_maximal_ids_grow_the_database_by_less_than_1_MiB_and_the_audit_and_log_say_how_many()
    {
        var data = RepositoryPaths.TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var log = new CapturedLog();
        await using var coordinator = await CoordinatorHost.StartAsync([$"--Coordinator:DataDirectory={data}"], builder =>
        {
            log.Attach(builder);
            builder.Services.AddSingleton<TimeProvider>(time);
        });
        var federation = new Protos.V1.Federation.FederationClient(coordinator.CreateChannel());
        var node = await federation.RegisterAsync(new RegisterRequest { Region = "Halland" });
        var headers = new Metadata { { WireNames.Headers.NodeId, node.NodeId } };
        long before = DatabaseBytes(data);

        // A few ids of 1 MB (InvalidArgument; audited with the id cut), then a thousand of the maximal allowed length
        // (NotFound): every one is refused.
        var statuses = new List<StatusCode>();
        for (int i = 0; i < 20; i++)
            statuses.Add(await UploadHeaderAsync(federation, headers, new string('J', 1 << 20)));
        for (int i = 0; i < 1000; i++)
            statuses.Add(await UploadHeaderAsync(federation, headers, $"{i:D4}" + new string('j', WireLimits.JobIdChars - 4)));
        time.Advance(TimeSpan.FromMinutes(1)); // the bucket refills: the next refusal is audited, after a summary
        statuses.Add(await UploadHeaderAsync(federation, headers, "last"));

        Assert.Equal(1001, statuses.Count(s => s == StatusCode.NotFound));
        Assert.Equal(20, statuses.Count(s => s == StatusCode.InvalidArgument));
        long grown = DatabaseBytes(data) - before;
        Assert.True(grown < 1 << 20, $"the database grew by {grown} bytes");
        var audit = await coordinator.App.Services.GetRequiredService<ICoordinatorStore>().Audit.ListAsync();
        var rejected = audit.Where(a => a.Action == "update.rejected").ToList();
        Assert.Equal(21, rejected.Count); // the burst of 20, and the one after the refill
        // A 1 MB id is kept as its first 64 characters and a note of how many more there were.
        Assert.All(rejected, a => Assert.True(a.Detail.Length <= 600 && a.JobId!.Length <= WireLimits.JobIdChars + 40, a.JobId));
        var summary = Assert.Single(audit, a => a.Action == "audit.suppressed");
        Assert.Equal("1000 further refusals from Halland suppressed (more than 20 at once, 10 a minute after)", summary.Detail);
        // The log is gated by the same bucket: the audited refusals are logged, the rest counted in one line.
        var lines = log.Text.Split('\n');
        Assert.Equal(21, lines.Count(l => l.Contains("update from Halland rejected", StringComparison.Ordinal)));
        Assert.Single(lines, l => l.Contains("1000 further refusals from Halland were neither logged nor audited", StringComparison.Ordinal));
    }

    private static async Task<StatusCode> UploadHeaderAsync(Protos.V1.Federation.FederationClient federation, Metadata headers, string jobId)
    {
        using var call = federation.UploadUpdate(headers);
        try
        {
            await call.RequestStream.WriteAsync(new UpdateChunk
            {
                Header = new UpdateHeader { JobId = jobId, Round = 1, Kind = UpdateKind.Delta, NumExamples = 10, BaseModelSha256 = new string('a', 64) },
            });
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            // Refused before the stream was complete: the status is the call's.
        }
        return (await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync)).StatusCode;
    }

    private static async Task ReadAllAsync<T>(AsyncServerStreamingCall<T> call)
    {
        using (call)
            await foreach (var _ in call.ResponseStream.ReadAllAsync()) { }
    }

    // coordinator.db with its write-ahead log.
    private static long DatabaseBytes(string data) => Directory.GetFiles(data, "coordinator.db*").Sum(f => new FileInfo(f).Length);
}
