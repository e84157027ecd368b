using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Models;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.NodeAgent.Tests.Training;

/// <summary>
/// FedAvg in one process, as FLamby runs it: every centre trains from the global model, the server adds the
/// average of the deltas weighted by training rows. Aggregation belongs to the coordinator; this copy only checks
/// that the agent's training reproduces FLamby's accuracy.
/// </summary>
internal static class FedAvgSimulation
{
    public static readonly string[] Regions = ["Cleveland", "Hungary", "Switzerland", "VA"];

    public static readonly ModelSpec LogisticRegression = new() { Name = "logistic_regression" };

    /// <summary>Runs FedAvg and returns each centre's test accuracy of the final global model.</summary>
    public static double[] Run(IReadOnlyList<LocalDataset> centres, long seed, int rounds, TrainingSettings settings)
    {
        var zoo = new ModelZoo();
        var trainer = new LocalTrainer(zoo, TestData.Runtime);
        var evaluator = new Evaluator(zoo, TestData.Runtime);
        var global = zoo.CreateInitial(LogisticRegression, seed, centres[0].Width);
        for (int round = 1; round <= rounds; round++)
        {
            var updates = centres.Select((c, k) => trainer.Train(c, LogisticRegression, global, settings, seed, round, Regions[k])).ToList();
            global = Apply(global, updates);
        }
        return centres.Select(c => evaluator.Evaluate(c, LogisticRegression, global).Accuracy).ToArray();
    }

    /// <summary><c>global + Σ_k (n_k / Σn) · delta_k</c>, in float32 like torch.</summary>
    public static ModelParameters Apply(ModelParameters global, IReadOnlyList<LocalUpdate> updates)
    {
        double total = updates.Sum(u => u.NumExamples);
        var tensors = new List<NamedTensor>();
        for (int t = 0; t < global.Tensors.Count; t++)
        {
            var g = global.Tensors[t];
            var sum = new float[g.Values.Length];
            foreach (var u in updates)
            {
                float w = (float)(u.NumExamples / total);
                var d = u.Delta.Tensors[t];
                Assert.Equal(g.Name, d.Name);
                for (int i = 0; i < sum.Length; i++) sum[i] += w * d.Values[i];
            }
            var values = new float[sum.Length];
            for (int i = 0; i < sum.Length; i++) values[i] = g.Values[i] + sum[i];
            tensors.Add(new NamedTensor(g.Name, g.Shape, values));
        }
        return new ModelParameters(tensors);
    }
}
