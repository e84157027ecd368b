using FederatedCare.Protos.Wire;
using TorchSharp;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Models;

/// <summary>
/// Maps between a TorchSharp module and <see cref="ModelParameters"/>: one float32 <see cref="NamedTensor"/> per
/// entry of <c>named_parameters()</c>, same names, shapes and order.
/// </summary>
public static class ModelParameterMapper
{
    /// <summary>Copies the module's parameters to CPU float32 arrays.</summary>
    public static ModelParameters ToParameters(nn.Module module)
    {
        var tensors = new List<NamedTensor>();
        using var scope = torch.NewDisposeScope();
        foreach (var (name, p) in module.named_parameters())
        {
            var cpu = p.detach().to(ScalarType.Float32).cpu().contiguous();
            tensors.Add(new NamedTensor(name, cpu.shape.ToArray(), cpu.data<float>().ToArray()));
        }
        return new ModelParameters(tensors);
    }

    /// <summary>Overwrites the module's parameters with <paramref name="parameters"/> (on the module's device).</summary>
    /// <exception cref="InvalidDataException">A name is missing or extra, or a shape differs.</exception>
    public static void Load(nn.Module module, ModelParameters parameters)
    {
        var byName = parameters.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var named = module.named_parameters().ToList();
        var extra = byName.Keys.Except(named.Select(n => n.name)).ToList();
        if (extra.Count > 0)
            throw new InvalidDataException($"The model has no parameter(s) {string.Join(", ", extra)}.");
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        foreach (var (name, p) in named)
        {
            if (!byName.TryGetValue(name, out var t))
                throw new InvalidDataException($"Parameter '{name}' is missing from the received model.");
            if (!t.Shape.SequenceEqual(p.shape))
                throw new InvalidDataException(
                    $"Parameter '{name}' has shape [{string.Join(", ", t.Shape)}] but the model expects [{string.Join(", ", p.shape)}].");
            p.copy_(torch.tensor(t.Values, t.Shape, ScalarType.Float32));
        }
    }

    /// <summary>
    /// <paramref name="parameters"/> as float32 tensors on <paramref name="device"/>, one per entry of the module's
    /// <c>named_parameters()</c> and in that order (matched by name), without gradients. The caller disposes them
    /// (e.g. through a dispose scope).
    /// </summary>
    /// <exception cref="InvalidDataException">A name is missing, or a shape differs.</exception>
    public static Tensor[] ToAlignedTensors(nn.Module module, ModelParameters parameters, Device device)
    {
        var byName = parameters.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        return module.named_parameters().Select(np =>
        {
            if (!byName.TryGetValue(np.name, out var t) || !t.Shape.SequenceEqual(np.parameter.shape))
                throw new InvalidDataException($"Parameter '{np.name}' is missing or has another shape in the given tensors.");
            return torch.tensor(t.Values, t.Shape, ScalarType.Float32, device);
        }).ToArray();
    }

    /// <summary>The element-wise difference <c>local − global</c> (float32), in the order of <paramref name="local"/>.</summary>
    /// <exception cref="InvalidDataException">The two models differ in names or shapes.</exception>
    public static ModelParameters Subtract(ModelParameters local, ModelParameters global) => Combine(local, global, (l, g) => l - g);

    /// <summary>
    /// The element-wise sum <c>a + b</c> (float32), in the order of <paramref name="a"/>: a model plus a delta, or
    /// SCAFFOLD's <c>cᵢ + (cᵢ⁺ − cᵢ)</c>.
    /// </summary>
    /// <exception cref="InvalidDataException">The two differ in names or shapes.</exception>
    public static ModelParameters Add(ModelParameters a, ModelParameters b) => Combine(a, b, (x, y) => x + y);

    private static ModelParameters Combine(ModelParameters first, ModelParameters second, Func<float, float, float> op)
    {
        var byName = second.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var result = new List<NamedTensor>(first.Tensors.Count);
        foreach (var l in first.Tensors)
        {
            if (!byName.TryGetValue(l.Name, out var g) || !g.Shape.SequenceEqual(l.Shape))
                throw new InvalidDataException($"Parameter '{l.Name}' differs in name or shape between the two models.");
            var d = new float[l.Values.Length];
            for (int i = 0; i < d.Length; i++) d[i] = op(l.Values[i], g.Values[i]);
            result.Add(new NamedTensor(l.Name, (long[])l.Shape.Clone(), d));
        }
        return new ModelParameters(result);
    }
}
