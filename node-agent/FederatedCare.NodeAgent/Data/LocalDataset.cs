namespace FederatedCare.NodeAgent.Data;

/// <summary>A region's dataset after preprocessing: standardised train and test rows, ready for training.</summary>
/// <param name="Name">The name jobs use, e.g. <c>heart-disease</c>.</param>
/// <param name="SourcePath">The raw data file it was read from.</param>
/// <param name="FeatureNames">Column names, in feature order.</param>
/// <param name="Train">Training rows (standardised with their own statistics).</param>
/// <param name="Test">Test rows (standardised with the training statistics).</param>
/// <param name="Scaling">The training statistics used to standardise both splits.</param>
/// <param name="Task">What the label is: binary (0/1), multi-class (class index) or regression (value).</param>
/// <param name="Classes">Number of classes (2 for binary, 1 for regression).</param>
public sealed record LocalDataset(
    string Name, string SourcePath, IReadOnlyList<string> FeatureNames, TabularSplit Train, TabularSplit Test, Standardizer Scaling,
    Protos.V1.LabelTask Task = Protos.V1.LabelTask.Binary, int Classes = 2)
{
    /// <summary>Features per row (the width of the first model layer).</summary>
    public int Width => FeatureNames.Count;

    /// <summary>What a model must fit.</summary>
    public Models.DataShape Shape => new(Width, Task, Classes);
}
