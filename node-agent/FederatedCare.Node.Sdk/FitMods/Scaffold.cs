using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Node.Sdk.FitMods;

/// <summary>
/// SCAFFOLD's client side, option II (Karimireddy et al., "SCAFFOLD: Stochastic Controlled Averaging for Federated
/// Learning", ICML 2020, Algorithm 1): with server control variate c and the client's own cᵢ, every local SGD step
/// uses the corrected gradient <c>g(y) − cᵢ + c</c>; after K steps of size η from x to y the client's new control
/// variate is <c>cᵢ⁺ = cᵢ − c + (x − y)/(K·η)</c>. The client uploads <c>y − x</c> followed by <c>cᵢ⁺ − cᵢ</c>,
/// whose tensors are named <see cref="ControlDeltaPrefix"/> + the model tensor's name, in the model's order, and
/// then keeps <c>cᵢ⁺ = cᵢ + (cᵢ⁺ − cᵢ)</c> (element-wise addition), exactly what the server
/// adds up. All arithmetic is element-wise on float32 tensors of the model's names and shapes.
/// </summary>
public static class Scaffold
{
    /// <summary>The strategy name in <see cref="StrategySpec.Name"/>.</summary>
    public const string Name = WireNames.Strategies.Scaffold;

    /// <summary>Prefix of the control-delta tensors in an upload: <c>control_delta/linear.weight</c>.</summary>
    public const string ControlDeltaPrefix = WireNames.TensorPrefixes.ControlDelta;

    /// <summary>The gradient correction <c>c − cᵢ</c> (the trainer adds it to every local gradient).</summary>
    /// <exception cref="InvalidDataException">The two differ in names, shapes or order.</exception>
    public static ModelParameters Correction(ModelParameters server, ModelParameters client) =>
        Combine(server, client, (c, ci) => c - ci);

    /// <summary>
    /// The control-variate delta <c>cᵢ⁺ − cᵢ = (x − y)/(K·η) − c</c>, computed from the model delta
    /// <c>y − x</c> (so it does not depend on cᵢ) in double precision and rounded to float32.
    /// </summary>
    /// <param name="delta">The round's model delta <c>y − x</c>.</param>
    /// <param name="server">The server control variate c.</param>
    /// <param name="steps">K, the local steps taken (&gt; 0).</param>
    /// <param name="learningRate">η, the local SGD step size (&gt; 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">K or η not positive.</exception>
    /// <exception cref="InvalidDataException">The delta and c differ in names, shapes or order.</exception>
    public static ModelParameters ControlDelta(ModelParameters delta, ModelParameters server, long steps, double learningRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive.");
        double scale = 1.0 / (steps * learningRate);
        return Combine(delta, server, (d, c) => (float)(-d * scale - c));
    }

    /// <summary>
    /// The upload: the model delta's tensors, then the control delta's tensors renamed
    /// <c>control_delta/&lt;name&gt;</c>, in the same order.
    /// </summary>
    /// <exception cref="InvalidDataException">The two differ in names, shapes or order.</exception>
    public static ModelParameters UploadPayload(ModelParameters delta, ModelParameters controlDelta)
    {
        CheckLayout(controlDelta, delta, "control delta");
        return new ModelParameters(
        [
            .. delta.Tensors,
            .. controlDelta.Tensors.Select(t => new NamedTensor(ControlDeltaPrefix + t.Name, t.Shape, t.Values)),
        ]);
    }

    /// <summary>Checks that <paramref name="candidate"/> has the names, shapes and order of <paramref name="model"/>.</summary>
    /// <param name="candidate">A control variate or delta.</param>
    /// <param name="model">The reference model.</param>
    /// <param name="what">How error messages name <paramref name="candidate"/>, e.g. <c>server control variate</c>.</param>
    /// <exception cref="InvalidDataException">They differ; the message names the first difference.</exception>
    public static void CheckLayout(ModelParameters candidate, ModelParameters model, string what)
    {
        if (candidate.Tensors.Count != model.Tensors.Count)
            throw new InvalidDataException($"The {what} has {candidate.Tensors.Count} tensors but the model has {model.Tensors.Count}.");
        for (int k = 0; k < model.Tensors.Count; k++)
        {
            NamedTensor c = candidate.Tensors[k], m = model.Tensors[k];
            if (c.Name != m.Name || !c.Shape.SequenceEqual(m.Shape))
                throw new InvalidDataException(
                    $"The {what}'s tensor {k} is '{c.Name}' [{string.Join(", ", c.Shape)}] but the model's is '{m.Name}' [{string.Join(", ", m.Shape)}].");
        }
    }

    /// <summary>The client's next control variate <c>cᵢ + (cᵢ⁺ − cᵢ)</c>, element-wise in float32.</summary>
    /// <exception cref="InvalidDataException">The two differ in names, shapes or order.</exception>
    public static ModelParameters Add(ModelParameters client, ModelParameters controlDelta) =>
        Combine(client, controlDelta, (c, d) => c + d);

    private static ModelParameters Combine(ModelParameters a, ModelParameters b, Func<float, float, float> op)
    {
        CheckLayout(b, a, "second operand");
        return new ModelParameters(a.Tensors.Select((t, k) =>
        {
            var other = b.Tensors[k].Values;
            var values = new float[t.Values.Length];
            for (int i = 0; i < values.Length; i++) values[i] = op(t.Values[i], other[i]);
            return new NamedTensor(t.Name, (long[])t.Shape.Clone(), values);
        }).ToList());
    }
}
