using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FederatedCare.Benchmarks.Baselines;
using FederatedCare.NodeAgent.Models;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.V1;

namespace FederatedCare.Benchmarks.Training;

/// <summary>
/// <c>local-round --data DIR [--centre cleveland] [--rounds 200] [--threads 1]</c>: the time one node takes for one
/// heart-disease fit task's local training — FLamby's 100 SGD steps of batch 4 from a global model — for each local
/// objective (plain, FedProx μ = 0.01, SCAFFOLD correction), in one warm process. Prints
/// <c>objective,median_ms,p90_ms,steps_per_s</c>; a federated round's training time is this figure times the nodes
/// sharing a core.
/// </summary>
public static class LocalRoundSpeed
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Folder with the heart-disease files.", Required = true };
        var centre = new Option<string>("--centre") { Description = "Centre whose training rows are used.", DefaultValueFactory = _ => "cleveland" };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds per objective (after 20 warm-up rounds).", DefaultValueFactory = _ => 200 };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads.", DefaultValueFactory = _ => 1 };
        var command = new Command("local-round", "Time of one node's local training for a heart-disease round (100 SGD steps), per objective.")
        {
            data, centre, rounds, threads,
        };
        command.SetAction(parse =>
        {
            var dataset = HeartCentre.Find(parse.GetRequiredValue(centre)).Load(parse.GetRequiredValue(data));
            var runtime = new TorchRuntime(parse.GetValue(threads), "cpu");
            var zoo = new ModelZoo();
            var trainer = new LocalTrainer(zoo, runtime);
            var spec = Baseline.LogisticRegression;
            var global = zoo.CreateInitial(spec, 42, dataset.Width);
            var settings = TrainingSettings.From(new LocalTrainingSpec { Optimizer = LocalOptimizer.Sgd, LearningRate = 0.001, BatchSize = 4, LocalSteps = 100 });
            var objectives = new (string Name, LocalObjective Objective)[]
            {
                ("plain", LocalObjective.None),
                ("fedprox", new LocalObjective(ProximalMu: 0.01)),
                ("scaffold", new LocalObjective(GradientCorrection: global.ZerosLike())),
            };
            Console.WriteLine("objective,median_ms,p90_ms,steps_per_s");
            foreach (var (name, objective) in objectives)
            {
                var times = new List<double>();
                int n = parse.GetValue(rounds);
                for (int round = 0; round < n + 20; round++)
                {
                    var watch = Stopwatch.StartNew();
                    trainer.Train(dataset, spec, global, settings, 42, round, "bench", objective);
                    if (round >= 20) times.Add(watch.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                double median = times[times.Count / 2], p90 = times[(int)(times.Count * 0.9)];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name},{median:0.00},{p90:0.00},{settings.LocalSteps * 1000 / median:0}"));
            }
        });
        return command;
    }
}
