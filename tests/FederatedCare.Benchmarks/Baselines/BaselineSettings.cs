namespace FederatedCare.Benchmarks.Baselines;

/// <summary>
/// How a baseline trains: FLamby's pooled and local baselines use Adam, lr 0.001, 50 epochs, batch 4 (FLAMBY.md).
/// The model starts from <c>torch.manual_seed(Seed)</c> like round 0 of a job; the mini-batch shuffle is the node
/// agent's for (<see cref="Seed"/>, <see cref="Round"/>, <see cref="Region"/>), so a federated "local" job's node
/// of that region trains bit-identically when its fit task has that round.
/// </summary>
/// <param name="Seed">The job seed: initial model and shuffling.</param>
/// <param name="Epochs">Passes over the training rows (&gt; 0).</param>
/// <param name="LearningRate">Adam's step size (&gt; 0).</param>
/// <param name="BatchSize">Rows per mini-batch (&gt; 0); an epoch's last batch may be smaller.</param>
/// <param name="Region">The region name that seeds the shuffle.</param>
/// <param name="Round">The round that seeds the shuffle.</param>
public sealed record BaselineSettings(long Seed, int Epochs, double LearningRate, int BatchSize, string Region, int Round = 1);
