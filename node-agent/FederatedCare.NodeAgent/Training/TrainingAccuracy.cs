using FederatedCare.Protos.V1;
using TorchSharp;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Training;

/// <summary>
/// Training accuracy of a round, Keras-style: the fraction of the mini-batch rows seen during local training that the
/// model classified correctly at the moment it saw them (threshold 0.5 for binary output, arg-max for multi-class, as
/// <see cref="Evaluator"/> does). Counted on the device and read once at the end, so it adds no synchronisation per
/// step. Regression and survival have no accuracy: nothing is counted and nothing is reported.
/// </summary>
public sealed class TrainingAccuracy : IDisposable
{
    private readonly LabelTask _task;
    private readonly Tensor? _correct;
    private long _rows;

    /// <summary>Starts counting for <paramref name="task"/> on <paramref name="device"/>.</summary>
    public TrainingAccuracy(LabelTask task, Device device)
    {
        _task = task;
        if (task is not (LabelTask.Regression or LabelTask.Survival)) _correct = torch.zeros(1, ScalarType.Int64, device: device);
    }

    /// <summary>Counts one mini-batch: <paramref name="output"/> [rows, outputs], <paramref name="target"/> [rows, 1].</summary>
    public void Add(Tensor output, Tensor target)
    {
        if (_correct is null) return;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var hits = _task == LabelTask.Multiclass
            ? output.argmax(1).eq(target.squeeze(1).to(ScalarType.Int64))
            : output.gt(0.5).eq(target.gt(0.5));
        _correct.add_(hits.sum());
        _rows += target.shape[0];
    }

    /// <summary>The fraction correct, or null for regression, survival or when no row was seen.</summary>
    public double? Value => _correct is null || _rows == 0 ? null : (double)_correct.item<long>() / _rows;

    /// <summary>Releases the device counter.</summary>
    public void Dispose() => _correct?.Dispose();
}
