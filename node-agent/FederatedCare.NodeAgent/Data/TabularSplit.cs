namespace FederatedCare.NodeAgent.Data;

/// <summary>
/// One split (train or test) of a tabular dataset: a row-major float32 feature matrix of shape
/// [<see cref="Rows"/>, <see cref="Width"/>] and binary labels of shape [<see cref="Rows"/>].
/// </summary>
/// <param name="Features">Row-major features, length <c>Rows · Width</c>.</param>
/// <param name="Labels">0 or 1 per row.</param>
/// <param name="Width">Features per row.</param>
/// <param name="SourceLines">0-based line index in the raw file of each row (for tracing a row back).</param>
public sealed record TabularSplit(float[] Features, float[] Labels, int Width, int[] SourceLines)
{
    /// <summary>Number of rows.</summary>
    public int Rows => Labels.Length;

    /// <summary>The value of feature <paramref name="column"/> in row <paramref name="row"/>.</summary>
    public float this[int row, int column] => Features[row * Width + column];
}
