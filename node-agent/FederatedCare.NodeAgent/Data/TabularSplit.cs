namespace FederatedCare.NodeAgent.Data;

/// <summary>
/// One split (train or test) of a tabular dataset: a row-major float32 feature matrix of shape
/// [<see cref="Rows"/>, <see cref="Width"/>] and labels of shape [<see cref="Rows"/>].
/// </summary>
/// <param name="Features">Row-major features, length <c>Rows · Width</c>.</param>
/// <param name="Labels">0 or 1 (binary; a survival label's event: 1 observed, 0 censored), a class index, or a value per row.</param>
/// <param name="Width">Features per row.</param>
/// <param name="SourceLines">0-based line index in the raw file of each row (for tracing a row back).</param>
/// <param name="Times">A survival label's follow-up time per row (≥ 0, the unit of the time column); null for other tasks.</param>
public sealed record TabularSplit(float[] Features, float[] Labels, int Width, int[] SourceLines, double[]? Times = null)
{
    /// <summary>Number of rows.</summary>
    public int Rows => Labels.Length;

    /// <summary>The value of feature <paramref name="column"/> in row <paramref name="row"/>.</summary>
    public float this[int row, int column] => Features[row * Width + column];

    /// <summary>The survival times.</summary>
    /// <exception cref="InvalidOperationException">The split has none (not a survival label).</exception>
    public double[] RequireTimes() =>
        Times ?? throw new InvalidOperationException("A survival model needs the rows' times, but this split has none (the label is not a survival label).");
}
