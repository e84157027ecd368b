namespace FederatedCare.Simulation;

/// <summary>
/// A labelled table: <see cref="Rows"/> rows of <see cref="Width"/> float32 features (row-major) and a class label in
/// [0, <see cref="Classes"/>) per row.
/// </summary>
public sealed record Dataset(float[] Features, int[] Labels, int Width, int Classes)
{
    /// <summary>Number of rows.</summary>
    public int Rows => Labels.Length;

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public Dataset Subset(IReadOnlyList<int> indices)
    {
        var features = new float[indices.Count * Width];
        var labels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Array.Copy(Features, (long)indices[i] * Width, features, (long)i * Width, Width);
            labels[i] = Labels[indices[i]];
        }
        return new Dataset(features, labels, Width, Classes);
    }
}

/// <summary>
/// A seeded synthetic classification problem: each class c has a mean μ_c ~ N(0, separation²·I) in
/// <c>width</c> dimensions; a row of class c is μ_c + N(0, I). Classes are balanced. Same arguments, same data.
/// </summary>
public static class SyntheticDataset
{
    /// <summary>Generates a train and a test split drawn from the same class means.</summary>
    /// <param name="trainRows">Training rows.</param>
    /// <param name="testRows">Test rows.</param>
    /// <param name="width">Features per row.</param>
    /// <param name="classes">Number of classes (≥ 2).</param>
    /// <param name="separation">Standard deviation of the class means (larger: easier problem).</param>
    /// <param name="seed">Seed.</param>
    public static (Dataset Train, Dataset Test) Generate(int trainRows, int testRows, int width, int classes, double separation, int seed)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), "At least two classes.");
        var random = new Random(seed);
        var means = new double[classes * width];
        for (int i = 0; i < means.Length; i++) means[i] = separation * Gaussian(random);
        return (Draw(trainRows), Draw(testRows));

        Dataset Draw(int rows)
        {
            var features = new float[rows * width];
            var labels = new int[rows];
            for (int r = 0; r < rows; r++)
            {
                int c = r % classes;
                labels[r] = c;
                for (int j = 0; j < width; j++) features[r * width + j] = (float)(means[c * width + j] + Gaussian(random));
            }
            return new Dataset(features, labels, width, classes);
        }
    }

    // Box–Muller.
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
