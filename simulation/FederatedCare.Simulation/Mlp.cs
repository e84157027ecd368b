using System.Collections.Concurrent;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Simulation;

/// <summary>
/// A small multilayer perceptron for simulation, in plain C# (no libtorch, so a thousand clients train in one process
/// in seconds): x → fc1 (width → hidden) → ReLU → fc2 (hidden → classes) → softmax, with cross-entropy loss. Its
/// parameters are wire tensors named like PyTorch's <c>nn.Linear</c>: <c>fc1.weight</c> [hidden, width],
/// <c>fc1.bias</c> [hidden], <c>fc2.weight</c> [classes, hidden], <c>fc2.bias</c> [classes].
/// </summary>
public sealed class Mlp(int width, int hidden, int classes)
{
    // Weights and gradients of finished trainings, reused by the next: a simulation trains thousands of clients, and
    // fresh model-sized arrays for each would leave the GC with two models' worth of garbage per client.
    private readonly ModelBuffers _buffers = new(() => Zeros(width, hidden, classes));

    // One row's activations, probabilities and hidden gradient, reused the same way: hidden-sized, so for a wide model
    // they are large-object-heap arrays too (3 × 1.2 MB per client and round at 290 698 hidden units).
    private readonly ConcurrentBag<RowBuffers> _rows = [];

    /// <summary>Input features.</summary>
    public int Width { get; } = width;
    /// <summary>Hidden units.</summary>
    public int Hidden { get; } = hidden;
    /// <summary>Output classes.</summary>
    public int Classes { get; } = classes;

    /// <summary>Seeded initial weights, uniform in ±1/√fan_in as PyTorch's nn.Linear.</summary>
    public ModelParameters Initial(int seed)
    {
        var random = new Random(seed);
        float[] Uniform(int n, int fanIn)
        {
            var a = new float[n];
            double bound = 1 / Math.Sqrt(fanIn);
            for (int i = 0; i < n; i++) a[i] = (float)((random.NextDouble() * 2 - 1) * bound);
            return a;
        }
        return new ModelParameters([
            new NamedTensor("fc1.weight", [Hidden, Width], Uniform(Hidden * Width, Width)),
            new NamedTensor("fc1.bias", [Hidden], Uniform(Hidden, Width)),
            new NamedTensor("fc2.weight", [Classes, Hidden], Uniform(Classes * Hidden, Hidden)),
            new NamedTensor("fc2.bias", [Classes], Uniform(Classes, Hidden)),
        ]);
    }

    // All-zero parameters of the MLP's shape.
    private static ModelParameters Zeros(int width, int hidden, int classes) => new([
        new NamedTensor("fc1.weight", [hidden, width], new float[hidden * width]),
        new NamedTensor("fc1.bias", [hidden], new float[hidden]),
        new NamedTensor("fc2.weight", [classes, hidden], new float[classes * hidden]),
        new NamedTensor("fc2.bias", [classes], new float[classes]),
    ]);

    /// <summary>
    /// Local SGD from <paramref name="global"/>: <paramref name="epochs"/> passes over <paramref name="data"/> in
    /// seeded shuffled mini-batches, with FedProx's proximal term (μ/2)·‖w − w_global‖² when <paramref name="mu"/> &gt; 0.
    /// With <paramref name="correction"/> (SCAFFOLD's c − cᵢ, the model's names and shapes) every step also moves by
    /// −lr·correction. Returns the delta (local − global), the mean mini-batch loss and the steps taken. The delta's
    /// arrays are this MLP's to reuse: hand them back with <see cref="Recycle"/> once nothing references them (or let the
    /// GC have them).
    /// </summary>
    public (ModelParameters Delta, double Loss, int Steps) Train(ModelParameters global, Dataset data, int epochs, int batchSize, float lr, float mu,
        int seed, ModelParameters? correction = null)
    {
        ArgumentNullException.ThrowIfNull(global);
        var w = _buffers.Rent();
        for (int t = 0; t < w.Tensors.Count; t++) global.Tensors[t].Values.AsSpan().CopyTo(w.Tensors[t].Values);
        var grads = _buffers.Rent();
        var row = RentRow();
        try
        {
            return TrainInto(w, grads, row, global, data, epochs, batchSize, lr, mu, seed, correction);
        }
        finally
        {
            _rows.Add(row);
            _buffers.Return(grads);
        }
    }

    /// <summary>A parameter set of this MLP's names and shapes with arbitrary contents, from the reuse pool.</summary>
    internal ModelParameters Rent() => _buffers.Rent();

    /// <summary>
    /// Gives a set from <see cref="Train"/> or <see cref="Rent"/> back for reuse; the caller must hold the only
    /// reference to its arrays (nothing reads or writes them afterwards).
    /// </summary>
    internal void Recycle(ModelParameters buffers) => _buffers.Return(buffers);

    private (ModelParameters Delta, double Loss, int Steps) TrainInto(ModelParameters w, ModelParameters grads, RowBuffers row, ModelParameters global,
        Dataset data, int epochs, int batchSize, float lr, float mu, int seed, ModelParameters? correction)
    {
        float[] w1 = w.Tensors[0].Values, b1 = w.Tensors[1].Values, w2 = w.Tensors[2].Values, b2 = w.Tensors[3].Values;
        float[] g1 = grads.Tensors[0].Values, gb1 = grads.Tensors[1].Values, g2 = grads.Tensors[2].Values, gb2 = grads.Tensors[3].Values;
        var (h, p, dh) = (row.Activations, row.Probabilities, row.HiddenGradient);
        var order = Enumerable.Range(0, data.Rows).ToArray();
        var random = new Random(seed);
        double lossSum = 0;
        int batches = 0;
        for (int e = 0; e < epochs; e++)
        {
            random.Shuffle(order);
            for (int start = 0; start < order.Length; start += batchSize)
            {
                int end = Math.Min(order.Length, start + batchSize);
                foreach (var g in grads.Tensors) Array.Clear(g.Values);
                double batchLoss = 0;
                for (int i = start; i < end; i++)
                {
                    var x = data.Features.AsSpan(order[i] * Width, Width);
                    int y = data.Labels[order[i]];
                    batchLoss += Forward(w1, b1, w2, b2, x, h, p, y);
                    // Backward: dL/dz2 = p − onehot(y).
                    p[y] -= 1;
                    Array.Clear(dh);
                    for (int c = 0; c < Classes; c++)
                    {
                        gb2[c] += p[c];
                        for (int j = 0; j < Hidden; j++)
                        {
                            g2[c * Hidden + j] += p[c] * h[j];
                            dh[j] += p[c] * w2[c * Hidden + j];
                        }
                    }
                    for (int j = 0; j < Hidden; j++)
                    {
                        if (h[j] <= 0) continue;
                        gb1[j] += dh[j];
                        for (int k = 0; k < Width; k++) g1[j * Width + k] += dh[j] * x[k];
                    }
                }
                float scale = lr / (end - start);
                for (int t = 0; t < 4; t++)
                {
                    var values = w.Tensors[t].Values;
                    var grad = grads.Tensors[t].Values;
                    var anchor = global.Tensors[t].Values;
                    for (int i = 0; i < values.Length; i++)
                        values[i] -= scale * grad[i] + (mu > 0 ? lr * mu * (values[i] - anchor[i]) : 0);
                    if (correction is not null)
                    {
                        var c = correction.Tensors[t].Values;
                        for (int i = 0; i < values.Length; i++) values[i] -= lr * c[i];
                    }
                }
                lossSum += batchLoss / (end - start);
                batches++;
            }
        }
        for (int t = 0; t < 4; t++)
        {
            var values = w.Tensors[t].Values;
            var anchor = global.Tensors[t].Values;
            for (int i = 0; i < values.Length; i++) values[i] -= anchor[i];
        }
        return (w, batches > 0 ? lossSum / batches : 0, batches);
    }

    /// <summary>Mean cross-entropy loss and accuracy of <paramref name="model"/> on <paramref name="data"/>.</summary>
    public (double Loss, double Accuracy) Evaluate(ModelParameters model, Dataset data)
    {
        float[] w1 = model.Tensors[0].Values, b1 = model.Tensors[1].Values, w2 = model.Tensors[2].Values, b2 = model.Tensors[3].Values;
        var row = RentRow();
        var (h, p) = (row.Activations, row.Probabilities);
        double loss = 0;
        int correct = 0;
        for (int r = 0; r < data.Rows; r++)
        {
            loss += Forward(w1, b1, w2, b2, data.Features.AsSpan(r * Width, Width), h, p, data.Labels[r]);
            int best = 0;
            for (int c = 1; c < Classes; c++) if (p[c] > p[best]) best = c;
            if (best == data.Labels[r]) correct++;
        }
        _rows.Add(row);
        return data.Rows == 0 ? (0, 0) : (loss / data.Rows, (double)correct / data.Rows);
    }

    // Every array of a row is fully written before it is read (dh is cleared per row), so a reused one needs no clearing.
    private RowBuffers RentRow() => _rows.TryTake(out var row) ? row : new RowBuffers(new float[Hidden], new float[Classes], new float[Hidden]);

    private sealed record RowBuffers(float[] Activations, float[] Probabilities, float[] HiddenGradient);

    // Fills h (ReLU activations) and p (softmax probabilities); returns −log p[y].
    private double Forward(float[] w1, float[] b1, float[] w2, float[] b2, ReadOnlySpan<float> x, float[] h, float[] p, int y)
    {
        for (int j = 0; j < Hidden; j++)
        {
            float z = b1[j];
            var row = w1.AsSpan(j * Width, Width);
            for (int k = 0; k < Width; k++) z += row[k] * x[k];
            h[j] = z > 0 ? z : 0;
        }
        float max = float.NegativeInfinity;
        for (int c = 0; c < Classes; c++)
        {
            float z = b2[c];
            for (int j = 0; j < Hidden; j++) z += w2[c * Hidden + j] * h[j];
            p[c] = z;
            max = Math.Max(max, z);
        }
        double sum = 0;
        for (int c = 0; c < Classes; c++) sum += p[c] = MathF.Exp(p[c] - max);
        for (int c = 0; c < Classes; c++) p[c] = (float)(p[c] / sum);
        return -Math.Log(Math.Max(p[y], 1e-12f));
    }
}
