using System.Globalization;

namespace FederatedCare.Simulation;

/// <summary>One simulated round: participants, wall time, the global model's test metrics, and process memory.</summary>
/// <param name="Round">The round, 1-based.</param>
/// <param name="Clients">Clients whose update was aggregated.</param>
/// <param name="Seconds">Wall time of the round (selection, training, aggregation, evaluation).</param>
/// <param name="TrainLoss">Example-weighted mean local training loss.</param>
/// <param name="TestLoss">Cross-entropy of the new global model on the test rows.</param>
/// <param name="TestAccuracy">Accuracy of the new global model on the test rows.</param>
/// <param name="WorkingSetMb">Process working set after the round, MB (10⁶ bytes).</param>
/// <param name="ModelSha256">SHA-256 of the round's global model, as a coordinator stores it (not in the CSV).</param>
public sealed record RoundResult(int Round, int Clients, double Seconds, double TrainLoss, double TestLoss, double TestAccuracy, double WorkingSetMb,
    string ModelSha256 = "")
{
    /// <summary>The CSV header of <see cref="ToCsv"/>.</summary>
    public const string CsvHeader = "round,clients,seconds,train_loss,test_loss,test_accuracy,working_set_mb";

    /// <summary>One CSV line, invariant culture.</summary>
    public string ToCsv() => string.Create(CultureInfo.InvariantCulture,
        $"{Round},{Clients},{Seconds:F3},{TrainLoss:F5},{TestLoss:F5},{TestAccuracy:F4},{WorkingSetMb:F1}");
}
