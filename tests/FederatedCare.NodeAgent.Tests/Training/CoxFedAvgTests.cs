using FederatedCare.Federation.Core.Jobs;
using FederatedCare.NodeAgent.Analysis;
using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Data.Tabular;
using FederatedCare.NodeAgent.Models;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using static FederatedCare.NodeAgent.Tests.Analysis.SurvivalData;

namespace FederatedCare.NodeAgent.Tests.Training;

/// <summary>
/// The <c>cox</c> model trained by FedAvg in one process on the four breast-cancer regions
/// (examples/breast-cancer-survival/cox-fedavg.json: federated z-score, one full-batch SGD step per round). Each
/// region's loss is its own partial likelihood divided by its rows and FedAvg weights it by its rows, so a round is a
/// gradient step on the partial likelihood stratified by region: the model must reach R's stratified Breslow fit
/// (reference/cox_stratified_breslow.csv, rescaled to standardised covariates: β·sd).
/// </summary>
public sealed class CoxFedAvgTests
{
    private static readonly Lazy<(JobSpec Spec, GlobalStatistics Pooled, LocalDataset[] Data)> Federation = new(() =>
    {
        var spec = JobSpecFile.Load(PathOf(Path.Combine("..", "..", "examples", "breast-cancer-survival", "cox-fedavg.json")));
        var options = Regions.Select(r => Analysis.SurvivalData.Options(PathOf(r.File + ".csv"))).ToList();
        // What the statistics phase does: every region's sums, pooled; then each region standardises with them.
        var sums = options.Select(o => TabularPreparer.Prepare("breast-cancer-survival", o, spec.Schema, null).Statistics).ToList();
        var pooled = StatisticsPool.Pool(Regions.Select((r, k) => (r.Region, sums[k])).ToDictionary(p => p.Region, p => p.Item2), sampleStd: true);
        return (spec, pooled, options.Select(o => TabularPreparer.Prepare("breast-cancer-survival", o, spec.Schema, pooled).Data!).ToArray());
    });

    private readonly ModelZoo _zoo = new();

    private ModelParameters Train(int rounds)
    {
        var (spec, _, data) = Federation.Value;
        var trainer = new LocalTrainer(_zoo, TestData.Runtime);
        var settings = TrainingSettings.From(spec.Local);
        var model = _zoo.CreateInitial(spec.Model, spec.Seed, data[0].Shape);
        for (int round = 1; round <= rounds; round++)
            model = FedAvgSimulation.Apply(model, data.Select((d, k) => trainer.Train(d, spec.Model, model, settings, spec.Seed, round, Regions[k].Region)).ToList());
        return model;
    }

    [Fact]
    public void FedAvg_with_full_batch_steps_reaches_the_stratified_Breslow_fit()
    {
        var (spec, pooled, _) = Federation.Value;
        var expected = Reference("cox_stratified_breslow.csv").Select((r, j) => Number(r["coef"]) * pooled.Std[j]).ToArray();

        var beta = Assert.Single(Train(spec.Rounds).Tensors);

        Assert.Equal("linear.weight", beta.Name);
        Assert.Equal([1L, 9L], beta.Shape);
        // 40 rounds of gradient descent: within 1e-3 of the optimum on the standardised scale (float32 training).
        for (int j = 0; j < expected.Length; j++) Assert.True(Math.Abs(beta.Values[j] - expected[j]) < 1e-3, $"β{j} {beta.Values[j]} vs {expected[j]}");
    }

    [Fact]
    public void Evaluation_reports_Harrells_C_of_the_linear_predictor_and_the_test_partial_likelihood()
    {
        var (spec, _, data) = Federation.Value;
        var model = Train(5);
        var beta = model.Tensors[0].Values;
        var evaluator = new Evaluator(_zoo, TestData.Runtime);
        foreach (var region in data)
        {
            var test = region.Test;
            var eta = Enumerable.Range(0, test.Rows).Select(i => (double)Enumerable.Range(0, test.Width).Sum(j => test[i, j] * beta[j])).ToArray();
            var (c, _) = HarrellConcordance.Compute(test.RequireTimes(), test.Labels.Select(e => e == 1f).ToArray(), eta);

            var evaluation = evaluator.Evaluate(region, spec.Model, model);

            Assert.Equal(test.Rows, evaluation.NumExamples);
            Assert.Equal(c, evaluation.Extra![WireNames.Metrics.CIndex], 4);
            Assert.InRange(evaluation.Extra[WireNames.Metrics.CIndex], 0.6, 0.8);
            Assert.True(evaluation.Loss > 0);
            Assert.Null(evaluation.Auc);
        }
    }

    [Fact]
    public void Cox_learns_only_a_survival_label_and_no_other_model_learns_one()
    {
        var cox = new ModelSpec { Name = ModelCatalog.Cox.Name };

        var binary = Assert.Throws<ModelSpecException>(() => _zoo.Check(cox, new DataShape(9, LabelTask.Binary)));
        var mlp = Assert.Throws<ModelSpecException>(() => _zoo.Check(new ModelSpec { Name = "mlp" }, new DataShape(9, LabelTask.Survival)));

        Assert.Equal("Model cox cannot learn a binary label (it supports survival).", binary.Message);
        Assert.Contains("Model mlp cannot learn a survival label", mlp.Message, StringComparison.Ordinal);
    }
}
