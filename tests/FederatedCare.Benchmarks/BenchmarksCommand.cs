using System.CommandLine;
using FederatedCare.Benchmarks.Baselines;
using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Models;
using FederatedCare.NodeAgent.Training;

namespace FederatedCare.Benchmarks;

/// <summary>
/// The root command. <c>pooled --data DIR --seed N [--epochs 50] [--lr 0.001] [--batch-size 4] [--scaling pooled]</c>:
/// FLamby's pooled baseline. <c>local --data DIR --seed N --centre NAME [...] [--region R] [--round K]</c>: one centre
/// alone, evaluated on all four test sets. <c>local-round</c>: one node's training time per heart-disease round
/// (<see cref="Training.LocalRoundSpeed"/>). <c>scale</c>: the figures of scripts/bench.sh (<see cref="Scale.ScaleCommand"/>).
/// <c>micro [BenchmarkDotNet args]</c>: the BenchmarkDotNet benchmarks. Pooled and local print <see cref="AccuracyCsv"/>; exit 0, 1 for a malformed command
/// line, 2 for bad values or data.
/// </summary>
public static class BenchmarksCommand
{
    // One libtorch thread: the figures do not depend on the machine's core count.
    private static readonly Lazy<TorchRuntime> Runtime = new(() => new TorchRuntime(1, "cpu"));

    /// <summary>Builds the command tree.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("FederatedCare benchmarks: reference baselines and scale figures (never part of a deployment).")
        {
            Pooled(),
            Local(),
            Training.LocalRoundSpeed.Create(),
            HeartDisease.HeartDiseaseCommand.Create(),
            Micro.MicroCommand.Create(),
        };
        foreach (var command in Scale.ScaleCommand.Create()) root.Subcommands.Add(command);
        return root;
    }

    private sealed record CommonOptions(Option<string> Data, Option<long> Seed, Option<int> Epochs, Option<double> Lr, Option<int> BatchSize)
    {
        public static CommonOptions Create() => new(
            new Option<string>("--data") { Description = "Folder with the four processed.*.data files and flamby_split.csv.", Required = true },
            new Option<long>("--seed") { Description = "Seed of the initial model (torch.manual_seed, as round 0 of a job) and of the shuffle.", Required = true },
            new Option<int>("--epochs") { Description = "Epochs of Adam.", DefaultValueFactory = _ => 50 },
            new Option<double>("--lr") { Description = "Adam's learning rate.", DefaultValueFactory = _ => 0.001 },
            new Option<int>("--batch-size") { Description = "Rows per mini-batch.", DefaultValueFactory = _ => 4 });

        public void AddTo(Command command)
        {
            command.Options.Add(Data);
            command.Options.Add(Seed);
            command.Options.Add(Epochs);
            command.Options.Add(Lr);
            command.Options.Add(BatchSize);
        }

        public BaselineSettings Settings(ParseResult parse, string region, int round) => new(
            parse.GetValue(Seed), parse.GetValue(Epochs), parse.GetValue(Lr), parse.GetValue(BatchSize), region, round);
    }

    private static Command Pooled()
    {
        var common = CommonOptions.Create();
        var scaling = new Option<PooledScaling>("--scaling")
        {
            Description = "Pooled: z-score the pooled training rows with their joint statistics (FLamby's pooled mode); " +
                          "PerCentre: each centre with its own. Test rows always use their own centre's statistics.",
            DefaultValueFactory = _ => PooledScaling.Pooled,
        };
        var command = new Command("pooled",
            "FLamby's pooled baseline: the four centres' training rows concatenated as Cleveland, Switzerland, Hungarian, VA; " +
            "Adam; evaluated on each centre's test set. Prints centre,accuracy,auc.");
        common.AddTo(command);
        command.Options.Add(scaling);
        command.SetAction(parse => Run(() =>
        {
            var data = parse.GetRequiredValue(common.Data);
            var train = PooledTraining.Load(data, HeartCentre.PooledOrder, parse.GetValue(scaling));
            return (train, HeartCentre.All.Select(c => (c, c.Load(data))).ToList(), common.Settings(parse, "pooled", 1));
        }));
        return command;
    }

    private static Command Local()
    {
        var common = CommonOptions.Create();
        var centre = new Option<string>("--centre") { Description = "cleveland, hungary, switzerland or va.", Required = true };
        var region = new Option<string?>("--region") { Description = "Region name seeding the shuffle (default: the centre); a federated local job's node of that region trains identically." };
        var round = new Option<int>("--round") { Description = "Round seeding the shuffle.", DefaultValueFactory = _ => 1 };
        var command = new Command("local",
            "FLamby's local baseline: one centre's training rows alone; Adam; evaluated on all four test sets. Prints centre,accuracy,auc.");
        common.AddTo(command);
        command.Options.Add(centre);
        command.Options.Add(region);
        command.Options.Add(round);
        command.SetAction(parse => Run(() =>
        {
            var data = parse.GetRequiredValue(common.Data);
            var own = HeartCentre.Find(parse.GetRequiredValue(centre));
            var loaded = HeartCentre.All.ToDictionary(c => c, c => c.Load(data));
            var settings = common.Settings(parse, parse.GetValue(region) ?? own.Name, parse.GetValue(round));
            return (loaded[own].Train, HeartCentre.All.Select(c => (c, loaded[c])).ToList(), settings);
        }));
        return command;
    }

    // Loads, trains, prints; bad options or data end with one line on stderr and exit code 2.
    private static int Run(Func<(TabularSplit Train, IReadOnlyList<(HeartCentre, LocalDataset)> TestSets, BaselineSettings Settings)> prepare)
    {
        try
        {
            var (train, testSets, settings) = prepare();
            var results = new Baseline(new ModelZoo(), Runtime.Value).Run(train, testSets, settings);
            foreach (var line in AccuracyCsv.Lines(results)) Console.WriteLine(line);
            return 0;
        }
        catch (Exception e) when (e is DataFileException or ArgumentException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
    }
}
