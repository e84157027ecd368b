using FederatedCare.NodeAgent.Agent;
using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Models;
using FederatedCare.NodeAgent.Tests.Training;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Tests.Agent;

public sealed class EvaluationReportTests
{
    private readonly ModelZoo _zoo = new();

    private static NodeTask EvaluateTask(string label) => new()
    {
        JobId = "job-1",
        Round = 15,
        Dataset = "heart-disease",
        Model = FedAvgSimulation.LogisticRegression,
        Evaluate = new EvaluateTask { ModelLabel = label, Splits = { "test" } },
    };

    [Theory]
    [InlineData("local:Halland")]
    [InlineData("global")]
    [InlineData("")]
    public void The_report_echoes_the_model_label_and_carries_the_auc(string label)
    {
        var data = TestData.Heart[3]; // VA: both classes among its 45 test rows
        var model = _zoo.CreateInitial(FedAvgSimulation.LogisticRegression, 42, data.Width);
        var evaluation = new Evaluator(_zoo, TestData.Runtime).Evaluate(data, FedAvgSimulation.LogisticRegression, model);
        var request = EvaluationReport.Build(EvaluateTask(label), "VA", [evaluation]);

        Assert.Equal(label, request.ModelLabel);
        Assert.Equal("job-1", request.JobId);
        Assert.Equal(15, request.Round);
        var metrics = Assert.Single(request.Metrics);
        Assert.Equal(("VA", 15, "test", 45L), (metrics.Region, metrics.Round, metrics.Split, metrics.NumExamples));
        Assert.Equal(evaluation.Accuracy, metrics.Accuracy);
        Assert.Equal(evaluation.Auc!.Value, metrics.Extra[EvaluationReport.AucKey]);
        Assert.InRange(metrics.Extra["auc"], 0, 1);
    }

    [Fact]
    public void A_test_set_of_one_class_reports_no_auc()
    {
        var rows = new List<double[]> { new[] { 1.0 }, new[] { 2.0 }, new[] { 3.0 } };
        var scaling = Standardizer.Fit(rows, 1);
        var data = new LocalDataset("tiny", "tiny", ["x"],
            new TabularSplit(scaling.Transform(rows), [0, 1, 1], 1, [0, 1, 2]),
            new TabularSplit(scaling.Transform(rows), [1, 1, 1], 1, [0, 1, 2]), scaling);
        var evaluation = new Evaluator(_zoo, TestData.Runtime).Evaluate(data, TinyProblem.Spec, TinyProblem.Model(0.5, 0));
        Assert.Null(evaluation.Auc);
        // Standardised x = (−1, 0, 1); sigmoid(0.5·x) > 0.5 only for x = 1.
        Assert.Equal(1.0 / 3, evaluation.Accuracy, 12);
        var metrics = Assert.Single(EvaluationReport.Build(EvaluateTask("global"), "Tiny", [evaluation]).Metrics);
        Assert.False(metrics.Extra.ContainsKey(EvaluationReport.AucKey));
    }
}
