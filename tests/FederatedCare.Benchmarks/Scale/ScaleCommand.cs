using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FederatedCare.Protos.V1;
using FederatedCare.Simulation;
using Grpc.Net.Client;

namespace FederatedCare.Benchmarks.Scale;

/// <summary>
/// <c>scale --out DIR --coordinator-dll PATH [--quick]</c>: the figures of <c>scripts/bench.sh</c>, printed as
/// <c>metric value unit</c> and written to <c>DIR/bench.csv</c>: aggregation throughput for N ∈ {4, 16, 64} ×
/// P ∈ {1 M, 10 M, 100 M} beside a single-threaded memory copy; loopback transfer of a 100 M-parameter model each way
/// through the real coordinator beside a bare gRPC byte stream (<c>bare-server</c>, its own process); one FedAvg round
/// with 4 no-op node agents, of 100 M and of 250 M parameters (the latter checked against in-memory FedAvg); the
/// coordinator's peak working set receiving 16 and 64 updates; a simulated round of
/// 1 000 clients. Every coordinator is a separate process (the real one), so its peak working set is its own.
/// <c>--quick</c> shrinks every size (a smoke test, not figures).
/// </summary>
public static class ScaleCommand
{
    private const int ChunkBytes = FederatedCare.Protos.Wire.ModelStream.DefaultChunkBytes;

    /// <summary>The <c>scale</c> command and its helper <c>bare-server</c> (hosts the bare byte-stream service).</summary>
    public static IReadOnlyList<Command> Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for bench.csv and logs.", Required = true };
        var dll = new Option<string>("--coordinator-dll") { Description = "FederatedCare.Coordinator.dll to start.", Required = true };
        // fedcare-sim runs from its own output folder: the copy beside this benchmark lacks the libraries that the
        // coordinator's shared framework provides here, so it cannot start on its own.
        var simDll = new Option<string>("--simulator-dll") { Description = "fedcare-sim.dll to start (from its own output folder).", Required = true };
        var quick = new Option<bool>("--quick") { Description = "Small sizes: a smoke test of the benchmark itself." };
        var only = new Option<string[]>("--only") { Description = "Run only these parts: aggregation, transfer, round, round250, peak, simulation.", AllowMultipleArgumentsPerToken = true };
        var scale = new Command("scale", "Scale figures: aggregation, transfer, rounds, coordinator memory, simulation.") { output, dll, simDll, quick, only };
        scale.SetAction(async (parse, ct) =>
        {
            var parts = parse.GetValue(only) is { Length: > 0 } chosen ? chosen.ToHashSet(StringComparer.OrdinalIgnoreCase) : null;
            await RunAsync(parse.GetRequiredValue(output), parse.GetRequiredValue(dll), parse.GetRequiredValue(simDll), parse.GetValue(quick), part => parts is null || parts.Contains(part));
            return 0;
        });
        var bare = new Command("bare-server", "Hosts the bare byte-stream service on a loopback port and prints 'listening URL'.");
        bare.SetAction(async (_, _) =>
        {
            await BareStreamService.Run(16 * 1024 * 1024);
            return 0;
        });
        return [scale, bare];
    }

    private static async Task RunAsync(string outDir, string coordinatorDll, string simulatorDll, bool quick, Func<string, bool> run)
    {
        Directory.CreateDirectory(outDir);
        var logs = Path.Combine(outDir, "logs");
        Directory.CreateDirectory(logs);
        var csv = new BenchCsv();
        long big = quick ? 4_000_000 : 100_000_000;
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; sizes {(quick ? "quick (smoke test)" : "full")}");
        csv.Add("cores", Environment.ProcessorCount, "count");

        // 1. Aggregation throughput beside memcpy; at the largest size the two alternate, seven times each, and the
        //    best of each is reported: on a shared machine another process can hold a core for a while, which hurts
        //    the two-core fold more than the one-core copy, and the best run is the one least disturbed.
        if (run("aggregation"))
        {
            long[] sizes = quick ? [1_000_000, 4_000_000] : [1_000_000, 10_000_000, 100_000_000];
            foreach (var p in sizes)
            {
                var updates = new[] { new float[p], new float[p] };
                BenchModels.Fill(updates[0], 1e-3f);
                BenchModels.Fill(updates[1], -2e-3f);
                int repeats = p >= 100_000_000 ? 3 : 5;
                foreach (var n in new[] { 4, 16, 64 })
                {
                    if (p == sizes[^1] && n == 16) continue;
                    csv.Add($"aggregation_gb_s_n{n}_p{Label(p)}", AggregationThroughput.Fold(updates, n, repeats), "GB/s");
                }
                if (p != sizes[^1]) continue;
                var (fold, copy) = (new List<double>(), new List<double>());
                for (int i = 0; i < 7; i++)
                {
                    fold.Add(AggregationThroughput.Fold(updates, 16, 1));
                    copy.Add(AggregationThroughput.Copy(updates, 16, 1));
                }
                csv.Add($"aggregation_gb_s_n16_p{Label(p)}", fold.Max(), "GB/s");
                if (quick) csv.Add("aggregation_gb_s_n16_p100m", fold.Max(), "GB/s");
                csv.Add("memcpy_gb_s", copy.Max(), "GB/s");
                csv.Add($"aggregation_gb_s_n16_p{Label(p)}_median", AggregationThroughput.Median(fold), "GB/s");
                csv.Add("memcpy_gb_s_median", AggregationThroughput.Median(copy), "GB/s");
            }
            GC.Collect();
        }

        var initial = BenchModels.Create(big, 1e-3f);
        var delta = BenchModels.Create(big, 1e-5f);
        double modelMb = initial.TotalBytes / 1e6;

        // 2. Bare gRPC byte stream (own process) vs the real coordinator's transfers, 1 node, alternating.
        if (run("transfer"))
        {
            var bareTimes = new List<(double Download, double Upload)>();
            var real = new List<ScenarioResult>();
            var (bare, ready) = await ChildProcess.StartAsync(typeof(ScaleCommand).Assembly.Location, ["bare-server"], "listening ",
                Path.Combine(logs, "bare-server.log"), TimeSpan.FromSeconds(60));
            using (bare)
            {
                var bareAddress = new Uri(ready!["listening ".Length..]);
                await BareTransfer.MeasureAsync(bareAddress, initial, ChunkBytes); // warm-up
                await WithCoordinatorAsync(coordinatorDll, outDir, "transfer", async address =>
                {
                    // Three nodes in turn: the last upload of a round shares the machine with the round's completion
                    // (aggregation, hashing and an fsync'd 400 MB checkpoint), which round_s measures; the median over
                    // nodes and jobs is a transfer with the link to itself.
                    for (int i = 0; i < 3; i++)
                    {
                        bareTimes.Add(await BareTransfer.MeasureAsync(bareAddress, initial, ChunkBytes));
                        real.Add(await FederationScenario.RunAsync(address, 3, initial, delta, download: true, uploadConcurrency: 1,
                            $"transfer-{i}", sequential: true));
                    }
                    return 0;
                });
            }
            double bareDown = modelMb / AggregationThroughput.Median(bareTimes.Select(t => t.Download));
            double bareUp = modelMb / AggregationThroughput.Median(bareTimes.Select(t => t.Upload));
            double realDown = modelMb / AggregationThroughput.Median(real.SelectMany(r => r.DownloadSeconds));
            double realUp = modelMb / AggregationThroughput.Median(real.SelectMany(r => r.UploadSeconds));
            csv.Add("raw_grpc_download_mb_s", bareDown, "MB/s");
            csv.Add("raw_grpc_upload_mb_s", bareUp, "MB/s");
            csv.Add("raw_grpc_mb_s", Math.Min(bareDown, bareUp), "MB/s");
            csv.Add("transfer_download_mb_s_p100m", realDown, "MB/s");
            csv.Add("transfer_upload_mb_s_p100m", realUp, "MB/s");
            csv.Add("transfer_mb_s_p100m", Math.Min(realDown, realUp), "MB/s");
        }

        // 3. One FedAvg round with 4 no-op node agents.
        if (run("round"))
        {
            double roundPeak = 0;
            var round = await WithCoordinatorAsync(coordinatorDll, outDir, "round-n4", async address =>
                await FederationScenario.RunAsync(address, 4, initial, delta, download: true, uploadConcurrency: 4, "round-n4"), p => roundPeak = p);
            csv.Add("round_s_p100m_n4", round.RoundSeconds, "s");
            csv.Add("round_mb_s_p100m_n4", 8 * modelMb / round.RoundSeconds, "MB/s");
            csv.Add("coordinator_peak_mb_p100m_n4", roundPeak, "MB");
        }

        // 3b. The same round with a 250 M-parameter (1 GB) model, checked against in-memory FedAvg.
        if (run("round250"))
        {
            var initial250 = BenchModels.Create(quick ? 8_000_000 : 250_000_000, 1e-3f);
            var delta250 = BenchModels.Create(quick ? 8_000_000 : 250_000_000, 1e-5f);
            double peak250 = 0;
            var round250 = await WithCoordinatorAsync(coordinatorDll, outDir, "round-p250m-n4", async address =>
                await FederationScenario.RunAsync(address, 4, initial250, delta250, download: true, uploadConcurrency: 4, "round-p250m-n4",
                    verify: true), p => peak250 = p);
            csv.Add("round_s_p250m_n4", round250.RoundSeconds, "s");
            csv.Add("fedavg_max_rel_error_ppb_p250m_n4", round250.MaxRelativeError * 1e9, "ppb");
            csv.Add("coordinator_peak_mb_p250m_n4", peak250, "MB");
            GC.Collect();
        }

        // 4. Coordinator peak working set receiving 16 and 64 updates (no downloads: training is a no-op).
        if (run("peak"))
        {
            foreach (var n in new[] { 16, 64 })
            {
                double peak = 0;
                await WithCoordinatorAsync(coordinatorDll, outDir, $"peak-n{n}", async address =>
                    await FederationScenario.RunAsync(address, n, initial, delta, download: false, uploadConcurrency: 8, $"peak-n{n}"), p => peak = p);
                csv.Add($"coordinator_peak_mb_p100m_n{n}", peak, "MB");
            }
        }
        csv.Add("model_mb_p100m", modelMb, "MB");

        // 5. Simulation (fedcare-sim, its own process): 1 000 clients, small MLP, 20 rounds; median round time and
        //    memory after the first and the last round.
        if (run("simulation"))
        {
            var simDir = Path.Combine(outDir, "simulation");
            var (process, _) = await ChildProcess.StartAsync(simulatorDll, ["--clients", "1000", "--rounds", quick ? "3" : "20", "--out", simDir], null,
                Path.Combine(logs, "simulation.log"), TimeSpan.FromSeconds(5));
            using (process) await process.WaitForExitAsync(TimeSpan.FromMinutes(5));
            var rows = File.ReadAllLines(Path.Combine(simDir, "rounds.csv")).Skip(1)
                .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
            csv.Add("simulated_round_s_1000_clients", AggregationThroughput.Median(rows.Select(r => r[2])), "s");
            csv.Add("simulated_working_set_mb_round1", rows[0][6], "MB");
            csv.Add("simulated_working_set_mb_last_round", rows[^1][6], "MB");
        }

        csv.Write(outDir);
        Console.WriteLine($"wrote {Path.Combine(outDir, "bench.csv")}");
    }

    private static string Label(long p) => p >= 1_000_000 ? $"{p / 1_000_000}m" : p.ToString(CultureInfo.InvariantCulture);

    // Starts a coordinator process on a free loopback port, waits until it answers, runs the body, reads its peak RSS.
    private static async Task<T> WithCoordinatorAsync<T>(string dll, string outDir, string name, Func<Uri, Task<T>> body, Action<double>? peak = null)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var address = new Uri($"http://127.0.0.1:{port}");
        var data = Path.Combine(outDir, "coordinator-data-" + name);
        if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        var (process, _) = await ChildProcess.StartAsync(dll,
            ["--urls", address.ToString(), "--Coordinator:Web:Urls=http://127.0.0.1:0", $"--Coordinator:DataDirectory={data}", "--Serilog:MinimumLevel:Default=Warning"], null,
            Path.Combine(outDir, "logs", $"coordinator-{name}.log"), TimeSpan.FromSeconds(5));
        try
        {
            using (var channel = GrpcChannel.ForAddress(address))
            {
                var client = new Operator.OperatorClient(channel);
                for (int attempt = 0; ; attempt++)
                {
                    try
                    {
                        await client.ListNodesAsync(new ListNodesRequest());
                        break;
                    }
                    catch (Grpc.Core.RpcException) when (attempt < 300)
                    {
                        await Task.Delay(100);
                    }
                }
            }
            var result = await body(address);
            peak?.Invoke(process.PeakMb());
            return result;
        }
        finally
        {
            process.Dispose();
            Directory.Delete(data, recursive: true);
        }
    }
}
