using FederatedCare.Protos.V1;
using TorchSharp;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Training;

/// <summary>
/// The training loss of a label task, on a model's output [N, outputs] and the targets [N, 1] (float): binary
/// cross-entropy of probabilities, softmax cross-entropy of logits against class indices, mean squared error, or
/// for a survival label (targets: the events) the negative Cox partial log-likelihood of the risk scores
/// (<see cref="CoxPartialLikelihoodLoss"/>, which also needs the rows' times).
/// </summary>
public static class TaskLoss
{
    /// <summary>The mean loss over the batch.</summary>
    /// <param name="task">The label task.</param>
    /// <param name="output">The model's output [N, outputs].</param>
    /// <param name="target">The targets [N, 1]: 0/1, class index, value, or event (survival).</param>
    /// <param name="times">Survival times [N] (float64); only for a survival label.</param>
    /// <exception cref="ArgumentException">A survival label without <paramref name="times"/>.</exception>
    public static Tensor Compute(LabelTask task, Tensor output, Tensor target, Tensor? times = null) => task switch
    {
        LabelTask.Multiclass => nn.functional.cross_entropy(output, target.squeeze(1).to(ScalarType.Int64)),
        LabelTask.Regression => nn.functional.mse_loss(output, target),
        LabelTask.Survival => CoxPartialLikelihoodLoss.Compute(output, target,
            times ?? throw new ArgumentException("A survival loss needs the rows' times.", nameof(times))),
        _ => nn.functional.binary_cross_entropy(output, target),
    };
}
