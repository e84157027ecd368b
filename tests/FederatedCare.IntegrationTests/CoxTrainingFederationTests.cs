using System.Globalization;
using System.Text.Json;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.IntegrationTests;

/// <summary>
/// The <c>cox</c> model trained by FedAvg over real loopback gRPC with four real node agents on the shipped
/// breast-cancer survival data (examples/breast-cancer-survival/cox-fedavg.json): one full-batch gradient step per
/// region and round on its own partial likelihood, weighted by rows, is gradient descent on the partial likelihood
/// stratified by region, so the global model must reach R's stratified Breslow fit; Harrell's C of every region's
/// test rows comes back in federated evaluation and in cross-site validation.
/// </summary>
public sealed class CoxTrainingFederationTests
{
    private static readonly string[] Files = ["halland", "karolinska", "sahlgrenska", "orebro"];
    private static readonly string[] Regions = ["Halland", "Karolinska", "Sahlgrenska", "Örebro"];

    [Fact]
    public async Task FedAvg_trains_the_cox_model_to_the_stratified_fit_with_the_c_index_per_region_in_evaluation_and_cross_site()
    {
        var examples = Path.Combine(RepositoryPaths.Root, "examples", "breast-cancer-survival");
        await using var federation = await Federation.StartAsync(Files.Select(f => (string[])["--config", Path.Combine(examples, "nodes", f + ".json")]).ToList());
        var spec = JobSpecFile.Load(Path.Combine(examples, "cox-fedavg.json"));

        var status = await federation.RunJobAsync(spec, TimeSpan.FromMinutes(5));

        Assert.True(status.State == JobState.Succeeded, status.Message);
        Assert.Equal(spec.Rounds, status.CurrentRound);

        // R's coxph(Surv(rfstime, rfs) ~ ... + strata(region), ties = "breslow") on the raw covariates, rescaled to the
        // standardised ones the model saw (β_std = β·scale, the pooled scale exported with the model). After 40
        // full-batch rounds gradient descent is within 1e-4 of the optimum (float32 training); 1e-3 leaves a margin.
        using var download = federation.Research.DownloadGlobalModel(new DownloadGlobalModelRequest { JobId = status.JobId, Round = -1 });
        var model = await ModelStream.ReadAsync(download.ResponseStream);
        var scale = JsonSerializer.Deserialize<double[]>(model.Metadata[NormalizationExport.FeatureScale])!;
        var reference = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "data", "breast-cancer-survival", "reference", "cox_stratified_breslow.csv"))
            .Skip(1).Select((l, j) => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture) * scale[j]).ToArray();
        var beta = Assert.Single(model.Tensors);
        Assert.Equal("linear.weight", beta.Name);
        Assert.Equal(reference.Length, beta.Values.Length);
        for (int j = 0; j < reference.Length; j++)
            Assert.True(Math.Abs(beta.Values[j] - reference[j]) < 1e-3, $"β[{j}] = {beta.Values[j]}, stratified fit {reference[j]}");

        // Federated evaluation: every round, every region's C-index on its test rows, and no AUC. The initial model
        // (β = 0, as coxph starts) ties every pair: C = 1/2.
        var metrics = await federation.Research.GetMetricsAsync(new GetMetricsRequest { JobId = status.JobId, Round = -1 });
        var test = metrics.Metrics.Where(m => m.Split == WireNames.Splits.Test).ToList();
        Assert.Equal((spec.Rounds + 1) * Regions.Length, test.Count);
        Assert.All(test.Where(m => m.Round == 0), m => Assert.Equal(0.5, m.Extra[WireNames.Metrics.CIndex]));
        Assert.All(test.Where(m => m.Round > 0), m =>
        {
            Assert.InRange(m.Extra[WireNames.Metrics.CIndex], 0.55, 0.8);
            Assert.False(m.Extra.ContainsKey(WireNames.Metrics.Auc));
            Assert.True(m.Loss > 0);
        });
        var last = test.Where(m => m.Round == spec.Rounds).OrderBy(m => m.Region, StringComparer.Ordinal).ToList();
        Assert.Equal(Regions.Order(StringComparer.Ordinal), last.Select(m => m.Region));
        // The same ranking as R's stratified (Efron) fit gives on the test rows, within the effect of Breslow's ties.
        var rC = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "data", "breast-cancer-survival", "reference", "cindex_test_stratified_efron.csv"))
            .Skip(1).Select(l => l.Split(',')).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
        Assert.All(last, m => Assert.True(Math.Abs(m.Extra[WireNames.Metrics.CIndex] - rC[m.Region]) < 2e-3, $"{m.Region}: C {m.Extra[WireNames.Metrics.CIndex]}, R {rC[m.Region]}"));

        // Cross-site validation: the global model and every region's local model on every region's test rows.
        var matrix = await federation.Research.GetCrossSiteMatrixAsync(new GetCrossSiteMatrixRequest { JobId = status.JobId });
        Assert.Equal(Regions.Length * (Regions.Length + 1), matrix.Entries.Count);
        Assert.All(matrix.Entries, e => Assert.InRange(e.Metrics.Extra[WireNames.Metrics.CIndex], 0.55, 0.8));
        Assert.Equal(Regions.Order(StringComparer.Ordinal),
            matrix.Entries.Where(e => e.ModelLabel == WireNames.ModelLabels.Global).Select(e => e.Metrics.Region).Order(StringComparer.Ordinal));
    }
}
