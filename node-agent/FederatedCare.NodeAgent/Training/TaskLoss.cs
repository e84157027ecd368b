using FederatedCare.Protos.V1;
using TorchSharp;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Training;

/// <summary>
/// The training loss of a label task, on a model's output [N, outputs] and the targets [N, 1] (float): binary
/// cross-entropy of probabilities, softmax cross-entropy of logits against class indices, or mean squared error.
/// </summary>
public static class TaskLoss
{
    /// <summary>The mean loss over the batch.</summary>
    public static Tensor Compute(LabelTask task, Tensor output, Tensor target) => task switch
    {
        LabelTask.Multiclass => nn.functional.cross_entropy(output, target.squeeze(1).to(ScalarType.Int64)),
        LabelTask.Regression => nn.functional.mse_loss(output, target),
        _ => nn.functional.binary_cross_entropy(output, target),
    };
}
