using FederatedCare.NodeAgent.Options;
using FederatedCare.NodeAgent.Tests.Analysis;
using FederatedCare.NodeAgent.Tests.Data.Tabular;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.NodeAgent.Tests.Governance;

/// <summary>The shipped example specs and a policy that allows them, for the governance tests.</summary>
internal static class GovernanceSpecs
{
    public static readonly string[] HeartColumns =
        ["age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach", "exang", "oldpeak", "slope", "ca", "thal", "num"];

    public static JobSpec Example(string name) =>
        JobSpecFile.Load(Path.Combine(GenericHeartDiseaseTests.Root, "examples", "heart-disease", name));

    public static JobSpec Cox => SurvivalData.Spec;

    /// <summary>A policy allowing every heart-disease job of the examples.</summary>
    public static PolicyOptions Open() => new()
    {
        Datasets = new(StringComparer.Ordinal) { ["heart-disease"] = new PolicyDatasetOptions { Columns = [.. HeartColumns] } },
        AllowLocalModelAtCoordinator = true,
    };

    /// <summary>The statistics task of <paramref name="spec"/> as the coordinator builds it.</summary>
    public static NodeTask StatisticsTask(string jobId, JobSpec spec, string submitter = "") => new()
    {
        JobId = jobId,
        Dataset = spec.Dataset,
        Model = spec.Model,
        Schema = spec.Schema,
        Seed = spec.Seed,
        Statistics = new StatisticsTask { Analysis = spec.Analysis is not null, Spec = spec, SubmittedBy = submitter },
    };

    /// <summary>A fit task of round <paramref name="round"/> of <paramref name="spec"/> with <paramref name="participants"/> regions.</summary>
    public static NodeTask FitTask(string jobId, JobSpec spec, int round, int participants) => new()
    {
        JobId = jobId,
        Round = round,
        Dataset = spec.Dataset,
        Model = spec.Model,
        Schema = spec.Schema,
        Fit = new FitTask { Local = spec.Local, Strategy = spec.Strategy, Participants = participants },
    };
}
