using FederatedCare.Cli.Output;
using FederatedCare.Protos.V1;

namespace FederatedCare.IntegrationTests.Cli;

/// <summary>The report.md of <c>fedcare report</c>, from a job's stored results.</summary>
public sealed class ReportMarkdownTests
{
    private static readonly JobStatus Job = new()
    {
        JobId = "job-1", State = JobState.Succeeded, CurrentRound = 2, Message = "done",
        Spec = new JobSpec
        {
            Name = "hd_dp", Dataset = "heart-disease", Rounds = 2, Seed = 7, FractionFit = 1, MinFitClients = 2, MinAvailableClients = 2,
            Model = new ModelSpec { Name = "logistic_regression", Hyperparameters = { ["in_features"] = "13" } },
            Strategy = new StrategySpec { Name = "fedprox", Parameters = { ["mu"] = 0.01 } },
            Local = new LocalTrainingSpec { LocalSteps = 100, BatchSize = 4, LearningRate = 0.001 },
            EvaluateEvery = 1,
            Privacy = new PrivacySpec { ClippingNorm = 0.05, NoiseMultiplier = 3 },
        },
    };

    private static RegionMetrics Test(string region, int round, double accuracy, double? auc) => new()
    {
        Region = region, Round = round, Split = "test", NumExamples = region == "Halland" ? 60 : 40, Loss = 1 - accuracy, Accuracy = accuracy,
        Extra = { auc is { } a ? new Dictionary<string, double> { ["auc"] = a } : [] },
    };

    private static RegionMetrics Fit(string region, int round) =>
        new() { Region = region, Round = round, Split = "fit", NumExamples = region == "Halland" ? 240 : 160, Loss = 0.5 };

    private static RoundSummary Round(int round, double? epsilon) => new()
    {
        Round = round, NumExamples = round == 0 ? 60 : 400, Participants = { round == 0 ? ["Halland"] : new[] { "Örebro|Län", "Halland" } },
        Privacy = epsilon is { } e ? new RoundPrivacy { Epsilon = e, Delta = 1e-5 } : null,
    };

    private static readonly RegionMetrics[] Metrics =
    [
        Test("Halland", 0, 0.5, 0.5), Test("Örebro|Län", 0, 0.25, null),
        Fit("Halland", 1), Fit("Örebro|Län", 1),
        Test("Halland", 1, 0.75, 0.8), Test("Örebro|Län", 1, 0.5, null),
        Fit("Halland", 2), Fit("Örebro|Län", 2),
        Test("Halland", 2, 0.8, 0.9), Test("Örebro|Län", 2, 0.6, null),
    ];

    private static string Report(IReadOnlyList<CrossSiteEntry>? crossSite = null) =>
        ReportMarkdown.Format(Job, [Round(0, null), Round(1, 1.25), Round(2, 2.5)], Metrics, crossSite ?? [], ["accuracy", "auc", "loss"]);

    private static List<string> Lines(string report) => [.. report.Split('\n')];

    [Fact]
    public void The_spec_summary_names_model_strategy_rounds_seed_privacy_and_the_spec_hash()
    {
        var lines = Lines(Report());

        Assert.Equal("# Job report: hd\\_dp", lines[0]);
        Assert.Equal("Job `job-1` on dataset `heart-disease`: Succeeded (done), round 2 of 2.", lines[2]);
        Assert.Contains("| model | `logistic_regression` (in\\_features 13) |", lines);
        Assert.Contains("| strategy | `fedprox` (mu 0.01) |", lines);
        Assert.Contains("| rounds | 2 |", lines);
        Assert.Contains("| seed | 7 |", lines);
        Assert.Contains("| evaluation | every round |", lines);
        Assert.Contains("| local training | 100 steps, batch size 4, LOCAL_OPTIMIZER_SGD, learning rate 0.001 |", lines);
        Assert.Contains("| differential privacy | DP-FedAvg, clipping norm 0.05, noise multiplier 3, CLIPPING_SIDE_SERVER, δ 1e-5 (default) |", lines);
        Assert.Contains($"| spec SHA-256 | `{ReportMarkdown.SpecSha256(Job.Spec)}` |", lines);
        Assert.Matches("^[0-9a-f]{64}$", ReportMarkdown.SpecSha256(Job.Spec));
    }

    [Fact]
    public void Participants_rounds_and_final_metrics_are_tables_with_unweighted_means_and_epsilon()
    {
        var lines = Lines(Report());

        Assert.Contains("| Halland | 2 | 240 | 60 |", lines); // supplying round 0's initial model is no round trained
        Assert.Contains("| Örebro\\|Län | 2 | 160 | 40 |", lines); // a name's '|' does not split the cell
        Assert.Contains("| round | participants | examples | test accuracy | test auc | test loss | privacy spent |", lines);
        Assert.Contains("| 0 | Halland (initial model) | 60 | 0.3750 | 0.5000 | 0.6250 | - |", lines);
        Assert.Contains("| 2 | Halland, Örebro\\|Län | 400 | 0.7000 | 0.9000 | 0.3000 | ε 2.50 (δ 1e-5) |", lines);
        Assert.Contains("The global model after round 2 (the last evaluated) on each region's test rows.", lines);
        Assert.Contains("| Örebro\\|Län | 40 | 0.6000 | - | 0.4000 |", lines); // no AUC: "-", not 0
        Assert.Contains("| mean (unweighted) | 100 | 0.7000 | 0.9000 | 0.3000 |", lines);
    }

    [Fact]
    public void Charts_are_linked_as_png_images_with_their_svg_beside()
    {
        var report = Report();

        Assert.Contains("![test accuracy per region](accuracy.png)\n\n[accuracy.svg](accuracy.svg) (vector)\n", report, StringComparison.Ordinal);
        Assert.Contains("![test loss per region](loss.png)", report, StringComparison.Ordinal);
        Assert.DoesNotContain("## Cross-site validation", report, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cross_site_matrix_is_shown_when_the_job_has_one()
    {
        CrossSiteEntry Entry(string model, string region, double accuracy) => new() { ModelLabel = model, Metrics = Test(region, 2, accuracy, null) };

        var lines = Lines(Report([Entry("global", "Halland", 0.8), Entry("local:Halland", "Halland", 0.85), Entry("global", "Örebro|Län", 0.6)]));

        Assert.Contains("| model \\ test rows of | Halland | Örebro\\|Län |", lines);
        Assert.Contains("| global | 0.8000 | 0.6000 |", lines);
        Assert.Contains("| local:Halland | 0.8500 | - |", lines);
    }

    [Fact]
    public void The_same_results_give_the_same_bytes_whatever_the_culture()
    {
        var first = Report();
        var culture = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("sv-SE");
            Assert.Equal(first, Report());
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = culture;
        }
    }
}
