using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Models;

/// <summary>What a model must fit: the encoded input width and the label task (with its number of classes).</summary>
/// <param name="InputWidth">Features per row.</param>
/// <param name="Task">Binary, multi-class, regression or survival.</param>
/// <param name="Classes">Classes of a multi-class label (2 for binary, 1 for regression).</param>
public readonly record struct DataShape(int InputWidth, LabelTask Task = LabelTask.Binary, int Classes = 2)
{
    /// <summary>Outputs per row: 1 (binary probability, regression value, survival risk score) or one logit per class.</summary>
    public int Outputs => Task == LabelTask.Multiclass ? Classes : 1;

    /// <summary>Checks the hyperparameter <c>in_features</c> (default: the data's width) against the data.</summary>
    /// <exception cref="ModelSpecException">They differ.</exception>
    public int CheckInputWidth(ModelSpec spec)
    {
        int inFeatures = Hyperparameters.GetInt(spec, Protos.Wire.ModelCatalog.Keys.InFeatures, InputWidth);
        if (inFeatures != InputWidth)
            throw new ModelSpecException($"Model {spec.Name} has in_features={inFeatures} but the schema encodes {InputWidth} input columns here.");
        return inFeatures;
    }

    /// <summary>Throws unless the task is one of <paramref name="tasks"/>.</summary>
    /// <exception cref="ModelSpecException">The model cannot learn this label.</exception>
    public void Require(string model, params LabelTask[] tasks)
    {
        if (!tasks.Contains(Task))
            throw new ModelSpecException($"Model {model} cannot learn a {Task.ToString().ToLowerInvariant()} label (it supports {string.Join(", ", tasks.Select(t => t.ToString().ToLowerInvariant()))}).");
    }
}
