namespace FederatedCare.Federation.Core.Strategies;

/// <summary>The weighted mean of one round's updates that a <see cref="IMeanStrategy"/> steps on.</summary>
/// <param name="Tensors">Ūᵗ, one float32 array per tensor of the update layout; the strategy may take them for its result.</param>
/// <param name="Count">m, the number of updates in the mean.</param>
/// <param name="NumExamples">Σ num_examples of those updates.</param>
public sealed record RoundMean(float[][] Tensors, int Count, long NumExamples);
