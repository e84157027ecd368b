using System.CommandLine;
using System.Globalization;

namespace FederatedCare.Simulation;

/// <summary>
/// <c>fedcare-sim [--clients 1000] [--rounds 20] [--partition iid|dirichlet] [--alpha 0.5] [--strategy fedavg]
/// [--param mu=0.01] [--fraction-fit 1] [--local-epochs 1] [--batch-size 16] [--lr 0.05] [--seed 42] [--out DIR]</c>:
/// prints one line per round and, with <c>--out</c>, writes <c>DIR/rounds.csv</c> (<see cref="RoundResult.CsvHeader"/>).
/// Exit 0; 2 for bad values.
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
        var strategy = new Option<string>("--strategy") { Description = "fedavg, fedprox, fedadam, fedyogi, fedadagrad, median, trimmed_mean, krum.", DefaultValueFactory = _ => "fedavg" };
        var parameters = new Option<string[]>("--param") { Description = "Strategy parameter name=value (repeatable).", AllowMultipleArgumentsPerToken = true };
        var fraction = new Option<double>("--fraction-fit") { Description = "Fraction of clients per round.", DefaultValueFactory = _ => 1.0 };
        var epochs = new Option<int>("--local-epochs") { Description = "Local epochs.", DefaultValueFactory = _ => 1 };
        var batch = new Option<int>("--batch-size") { Description = "Mini-batch size.", DefaultValueFactory = _ => 16 };
        var lr = new Option<double>("--lr") { Description = "Local SGD learning rate.", DefaultValueFactory = _ => 0.05 };
        var rows = new Option<int>("--train-rows") { Description = "Rows of the synthetic training set.", DefaultValueFactory = _ => 60_000 };
        var seed = new Option<int>("--seed") { Description = "Seed.", DefaultValueFactory = _ => 42 };
        var output = new Option<string?>("--out") { Description = "Folder for rounds.csv." };
        var command = new RootCommand("FederatedCare simulation: N virtual clients against the coordinator's strategies and round machinery, in one process.")
        {
            clients, rounds, partition, alpha, strategy, parameters, fraction, epochs, batch, lr, rows, seed, output,
        };
        command.SetAction(parse =>
        {
            try
            {
                var options = new SimulationOptions
                {
                    Clients = parse.GetValue(clients), Rounds = parse.GetValue(rounds), Partition = parse.GetRequiredValue(partition),
                    Alpha = parse.GetValue(alpha), Strategy = parse.GetRequiredValue(strategy), FractionFit = parse.GetValue(fraction),
                    LocalEpochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch), LearningRate = parse.GetValue(lr),
                    TrainRows = parse.GetValue(rows), Seed = parse.GetValue(seed),
                    StrategyParameters = (parse.GetValue(parameters) ?? []).Select(p => p.Split('=', 2))
                        .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture)),
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
                if (parse.GetValue(output) is { } dir)
                {
                    Directory.CreateDirectory(dir);
                    File.WriteAllLines(Path.Combine(dir, "rounds.csv"), lines);
                }
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or IndexOutOfRangeException)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return command;
    }
}
