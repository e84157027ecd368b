using System.Net;
using System.Text.RegularExpressions;
using FederatedCare.Federation.Core.Metrics;
using FederatedCare.Protos.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace FederatedCare.Coordinator.Tests.Web;

/// <summary>
/// The web endpoint of a real in-process coordinator on 127.0.0.1: probes, Prometheus text, the sign-in token, and
/// that it is a listener of its own (no gRPC there, no web route on the gRPC port). Other coordinators of this test
/// process record into meters of the same name, so metric values are checked as lower bounds.
/// </summary>
public sealed partial class WebEndpointTests
{
    private const string Token = "researcher-token-0123456789";

    [Fact]
    public async Task Healthz_and_readyz_answer_200_without_sign_in_on_the_web_port_only()
    {
        await using var coordinator = await TestCoordinator.StartAsync(null, $"--Coordinator:Web:ReadOnlyToken={Token}");
        var web = coordinator.Running.WebAddress!;
        Assert.NotEqual(coordinator.Running.Address.Port, web.Port);
        using var http = new HttpClient { BaseAddress = web };

        foreach (var probe in new[] { "/healthz", "/readyz" })
        {
            using var response = await http.GetAsync(probe);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("ok\n", await response.Content.ReadAsStringAsync());
        }

        // The gRPC port (HTTP/2 only) has no web route; the web port serves no gRPC service.
        using var h2c = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using (var onGrpcPort = await h2c.GetAsync(new Uri(coordinator.Running.Address, "/healthz")))
            Assert.Equal(HttpStatusCode.NotFound, onGrpcPort.StatusCode);
        using var channel = GrpcChannel.ForAddress(web);
        var call = await Assert.ThrowsAsync<RpcException>(async () => await new Operator.OperatorClient(channel).ListNodesAsync(new ListNodesRequest()));
        Assert.NotEqual(StatusCode.OK, call.StatusCode);
    }

    [Fact]
    public async Task The_token_signs_in_as_bearer_or_once_as_query_then_as_cookie_and_nothing_else_does()
    {
        await using var coordinator = await TestCoordinator.StartAsync(null, $"--Coordinator:Web:ReadOnlyToken={Token}");
        var web = coordinator.Running.WebAddress!;
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = web };

        using (var anonymous = await http.GetAsync("/api/jobs")) Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using (var page = await http.GetAsync("/")) Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        using (var wrong = await http.GetAsync("/api/jobs?token=researcher-token-0123456780")) Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        using (var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/jobs") { Headers = { { "Authorization", $"Bearer {Token}" } } })
        using (var answer = await http.SendAsync(bearer))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("[]", await answer.Content.ReadAsStringAsync());
        }

        using var once = await http.GetAsync($"/?token={Token}");
        Assert.Equal(HttpStatusCode.OK, once.StatusCode);
        Assert.Contains("id=\"round-counter\"", await once.Content.ReadAsStringAsync());
        var cookie = Assert.Single(once.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/api/nodes") { Headers = { { "Cookie", cookie.Split(';')[0] } } };
        using (var answer = await http.SendAsync(withCookie)) Assert.Equal(HttpStatusCode.OK, answer.StatusCode);

        using (var metrics = await http.GetAsync("/metrics")) Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_whose_rounds_counter_grows_with_the_job()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        using var http = new HttpClient { BaseAddress = coordinator.Running.WebAddress };
        await using var job = await WebJob.StartAsync(coordinator.Channel);
        await job.RoundReachedAsync(1);
        var before = Samples(await http.GetStringAsync("/metrics"));

        job.LetAllThrough();
        Assert.Equal(JobState.Succeeded, await job.EndAsync());
        // The scripted nodes train on nothing and download no model: one node fetches the final global model.
        var final = (await new Research.ResearchClient(coordinator.Channel).ListRoundsAsync(new ListRoundsRequest { JobId = WebJob.JobId })).Rounds[^1];
        await using (var reader = await FakeNode.ConnectAsync(coordinator.Channel, "Orebro"))
            Assert.Equal(final.ModelSha256, (await reader.DownloadAsync(WebJob.JobId, final.ModelSha256)).ComputeSha256());
        var text = await http.GetStringAsync("/metrics");
        var after = Samples(text);

        Assert.Contains("# TYPE fedcare_rounds_completed_total counter", text);
        Assert.Contains("# TYPE fedcare_round_duration_seconds histogram", text);
        // Rounds 2 to 4 completed between the scrapes (each a fit round followed by its evaluation, one summary).
        Assert.True(after["fedcare_rounds_completed_total"] >= before.GetValueOrDefault("fedcare_rounds_completed_total") + WebJob.Rounds - 1, text);
        Assert.True(after.GetValueOrDefault("fedcare_updates_total{outcome=\"accepted\",reason=\"\"}") >= 2 * WebJob.Rounds, text);
        Assert.True(after.GetValueOrDefault("fedcare_upload_bytes_total") > 0, text);
        Assert.True(after.GetValueOrDefault("fedcare_download_bytes_total") > 0, text);
        Assert.True(after.GetValueOrDefault("fedcare_jobs{state=\"succeeded\"}") >= 1, text);
        Assert.True(after.ContainsKey("fedcare_connected_nodes"), text);
        Assert.True(after.GetValueOrDefault("fedcare_aggregation_seconds_count") >= WebJob.Rounds, text);
    }

    [Fact]
    public async Task The_event_stream_delivers_each_completed_round()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        using var http = new HttpClient { BaseAddress = coordinator.Running.WebAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var response = await http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal(": connected", await reader.ReadLineAsync());

        await using var job = await WebJob.StartAsync(coordinator.Channel, hold: false);
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null)
            if (line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains("\"round\":{\"round\":1,", StringComparison.Ordinal)) break;

        Assert.NotNull(line);
        Assert.Contains($"\"id\":\"{WebJob.JobId}\"", line);
        Assert.Contains("\"participants\":[\"Halland\",\"Karolinska\"]", line);
    }

    [Fact]
    public async Task Event_streams_beyond_the_bound_answer_503_and_a_closed_one_frees_its_place()
    {
        await using var coordinator = await TestCoordinator.StartAsync(null, "--Coordinator:Web:MaxEventStreams=1");
        using var http = new HttpClient { BaseAddress = coordinator.Running.WebAddress, Timeout = Timeout.InfiniteTimeSpan };
        using (var first = await http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            using var second = await http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
            Assert.Contains("At most 1 dashboard event streams", await second.Content.ReadAsStringAsync());
        }
        // The first stream's place comes back once the server has seen it go: ask until it has.
        while (true)
        {
            using var again = await http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead);
            if (again.StatusCode == HttpStatusCode.OK) break;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, again.StatusCode);
            await Task.Yield();
        }
    }

    [Theory]
    [InlineData("http://0.0.0.0:5080", "must be https")]
    [InlineData("https://127.0.0.1:5443", "https needs the coordinator's certificate")]
    [InlineData("http://example.org:5080", "the host must be an IP address")]
    [InlineData("ftp://127.0.0.1:21", "is not an address like")]
    public void A_web_address_that_would_be_open_or_cannot_be_served_stops_the_start(string urls, string expected)
    {
        var errors = new List<string>();
        Coordinator.Web.WebEndpoints.Validate(new Coordinator.Web.WebOptions { Urls = urls }, tls: false, errors);
        Assert.Contains(expected, Assert.Single(errors));
        Assert.StartsWith("Coordinator:Web:Urls", errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_token_and_no_event_streams_are_refused_and_an_empty_address_turns_the_endpoint_off()
    {
        var errors = new List<string>();
        Coordinator.Web.WebEndpoints.Validate(new Coordinator.Web.WebOptions { Urls = "", ReadOnlyToken = "short", MaxEventStreams = 0 }, tls: false, errors);
        Assert.Equal(2, errors.Count);
        Assert.Contains("ReadOnlyToken must be at least 16 characters", errors[0]);
        Assert.Contains("MaxEventStreams must be at least 1", errors[1]);
        Assert.Empty(Coordinator.Web.WebEndpoints.Parse(""));
    }

    // Series by name and labels, without the exporter's otel_scope_name label (the meter's name, on every series).
    private static Dictionary<string, double> Samples(string text) =>
        SampleLine().Matches(text).ToDictionary(
            m => m.Groups["name"].Value + m.Groups["labels"].Value.Replace($"otel_scope_name=\"{FederationMetrics.MeterName}\"", "")
                .Replace("{,", "{").Replace("{}", ""),
            m => double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{[^}]*\})?\s+(?<value>[-+0-9.eE]+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
