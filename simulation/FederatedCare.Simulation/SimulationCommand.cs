using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Protos.V1;

namespace FederatedCare.Simulation;

/// <summary>
/// <c>fedcare-sim [--clients 1000] [--rounds 20] [--partition iid|dirichlet] [--alpha 0.5] [--strategy fedavg]
/// [--param mu=0.01] [--fraction-fit 1] [--local-epochs 1] [--batch-size 16] [--lr 0.05] [--train-rows 60000] [--test-rows 10000]
/// [--width 32] [--hidden 32] [--seed 42] [--min-fit-clients 1]
/// [--max-round-retries 0] [--round-deadline 3600] [--privacy [--clipping-norm 1] [--noise-multiplier 1] [--clipping server|client]]
/// [--parallelism CORES] [--out DIR]</c>: prints one line per round, then the process's peak working set (VmHWM, MB), and,
/// with <c>--out</c>, writes <c>DIR/rounds.csv</c> (<see cref="RoundResult.CsvHeader"/>).
/// Exit 0; 1 when a round fails as a job would; 2 for bad values.
/// </summary>
public static class SimulationCommand
{
    /// <summary>Builds the command.</summary>
    public static RootCommand Create()
    {
        var clients = new Option<int>("--clients") { Description = "Virtual clients.", DefaultValueFactory = _ => 1000 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds.", DefaultValueFactory = _ => 20 };
        var partition = new Option<string>("--partition") { Description = "iid or dirichlet (label skew).", DefaultValueFactory = _ => "iid" };
        var alpha = new Option<double>("--alpha") { Description = "Dirichlet concentration α.", DefaultValueFactory = _ => 0.5 };
        var strategy = new Option<string>("--strategy") { Description = "fedavg, fedprox, fedadam, fedyogi, fedadagrad, scaffold, median, trimmed_mean, krum.", DefaultValueFactory = _ => "fedavg" };
        var parameters = new Option<string[]>("--param") { Description = "Strategy parameter name=value (repeatable).", AllowMultipleArgumentsPerToken = true };
        var fraction = new Option<double>("--fraction-fit") { Description = "Fraction of clients per round.", DefaultValueFactory = _ => 1.0 };
        var epochs = new Option<int>("--local-epochs") { Description = "Local epochs.", DefaultValueFactory = _ => 1 };
        var batch = new Option<int>("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => 16 };
        var lr = new Option<double>("--lr") { Description = "Local SGD learning rate.", DefaultValueFactory = _ => 0.05 };
        var rows = new Option<int>("--train-rows") { Description = "Rows of the synthetic training set.", DefaultValueFactory = _ => 60_000 };
        var testRows = new Option<int>("--test-rows") { Description = "Rows of the central test set (evaluated after every round).", DefaultValueFactory = _ => 10_000 };
        var width = new Option<int>("--width") { Description = "Features per row (the MLP's input width).", DefaultValueFactory = _ => 32 };
        var hidden = new Option<int>("--hidden") { Description = "Hidden units of the MLP (parameters: (width + 1 + classes)·hidden + classes, 10 classes).", DefaultValueFactory = _ => 32 };
        var seed = new Option<int>("--seed") { Description = "Seed.", DefaultValueFactory = _ => 42 };
        var output = new Option<string?>("--out") { Description = "Folder for rounds.csv." };
        var minFit = new Option<int>("--min-fit-clients") { Description = "Fewest updates a round aggregates.", DefaultValueFactory = _ => 1 };
        var retries = new Option<int>("--max-round-retries") { Description = "Retries of a round with too few updates.", DefaultValueFactory = _ => 0 };
        var deadline = new Option<double>("--round-deadline") { Description = "Seconds a round waits for its clients.", DefaultValueFactory = _ => 3600 };
        var privacy = new Option<bool>("--privacy") { Description = "Differential privacy (DP-FedAvg), as a job's spec.privacy." };
        var clippingNorm = new Option<double>("--clipping-norm") { Description = "DP: L2 clipping norm of an update.", DefaultValueFactory = _ => 1.0 };
        var noise = new Option<double>("--noise-multiplier") { Description = "DP: Gaussian noise multiplier.", DefaultValueFactory = _ => 1.0 };
        var clipping = new Option<string>("--clipping") { Description = "DP: server or client clipping.", DefaultValueFactory = _ => "server" };
        var parallelism = new Option<int>("--parallelism")
        {
            Description = "Clients trained at once (each holds two model-sized parameter sets while it trains).", DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var command = new RootCommand("FederatedCare simulation: N virtual clients against the coordinator's strategies and round machinery, in one process.")
        {
            clients, rounds, partition, alpha, strategy, parameters, fraction, epochs, batch, lr, rows, testRows, width, hidden, seed, output,
            minFit, retries, deadline, privacy, clippingNorm, noise, clipping, parallelism,
        };
        command.SetAction(parse =>
        {
            try
            {
                // Checked whether or not --privacy is on, so a mistyped side is never silently ignored.
                var side = ParseClipping(parse.GetRequiredValue(clipping));
                if (parse.GetValue(clients) < 1) throw new ArgumentException($"--clients must be at least 1 (was {parse.GetValue(clients)}).");
                if (parse.GetValue(rounds) < 1) throw new ArgumentException($"--rounds must be at least 1 (was {parse.GetValue(rounds)}).");
                if (parse.GetValue(testRows) < 1) throw new ArgumentException($"--test-rows must be at least 1 (was {parse.GetValue(testRows)}).");
                if (parse.GetValue(width) < 1) throw new ArgumentException($"--width must be at least 1 (was {parse.GetValue(width)}).");
                if (parse.GetValue(hidden) < 1) throw new ArgumentException($"--hidden must be at least 1 (was {parse.GetValue(hidden)}).");
                if (parse.GetValue(parallelism) < 1) throw new ArgumentException($"--parallelism must be at least 1 (was {parse.GetValue(parallelism)}).");
                if ((long)parse.GetValue(width) * parse.GetValue(hidden) > Array.MaxLength)
                    throw new ArgumentException($"--width {parse.GetValue(width)} × --hidden {parse.GetValue(hidden)} weights do not fit in one tensor.");
                var options = new SimulationOptions
                {
                    Clients = parse.GetValue(clients), Rounds = parse.GetValue(rounds), Partition = parse.GetRequiredValue(partition),
                    Alpha = parse.GetValue(alpha), Strategy = parse.GetRequiredValue(strategy), FractionFit = parse.GetValue(fraction),
                    LocalEpochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch), LearningRate = parse.GetValue(lr),
                    TrainRows = parse.GetValue(rows), TestRows = parse.GetValue(testRows), Width = parse.GetValue(width), Hidden = parse.GetValue(hidden), Seed = parse.GetValue(seed),
                    StrategyParameters = (parse.GetValue(parameters) ?? []).Select(p => p.Split('=', 2))
                        .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture)),
                    MinFitClients = parse.GetValue(minFit), MaxRoundRetries = parse.GetValue(retries), RoundDeadlineSeconds = parse.GetValue(deadline),
                    Parallelism = parse.GetValue(parallelism),
                    Privacy = parse.GetValue(privacy) ? new PrivacySpec
                    {
                        ClippingNorm = parse.GetValue(clippingNorm), NoiseMultiplier = parse.GetValue(noise), Clipping = side,
                    } : null,
                };
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{options.Clients} clients, {options.Partition}{(options.Partition == "dirichlet" ? $"(α={options.Alpha})" : "")}, {options.Strategy}, {Environment.ProcessorCount} cores"));
                var lines = new List<string> { RoundResult.CsvHeader };
                new SimulationRunner(options).Run(r =>
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"round {r.Round,3} | {r.Clients} clients | test accuracy {r.TestAccuracy:F4} loss {r.TestLoss:F4} | {r.Seconds:F2} s | working set {r.WorkingSetMb:F0} MB"));
                    lines.Add(r.ToCsv());
                });
                // The high-water mark of the resident set over the whole run (Linux VmHWM), what scripts/sim-memory.sh checks.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB"));
                if (parse.GetValue(output) is { } dir)
                {
                    Directory.CreateDirectory(dir);
                    File.WriteAllLines(Path.Combine(dir, "rounds.csv"), lines);
                }
                return 0;
            }
            catch (JobFailedException e)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or IndexOutOfRangeException)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return command;
    }

    // The contract's enum for the command line's word; any other word is a bad value (exit 2).
    private static ClippingSide ParseClipping(string side) => side switch
    {
        "server" => ClippingSide.Server,
        "client" => ClippingSide.Client,
        _ => throw new ArgumentException($"--clipping {side} is not one of server, client."),
    };
}
