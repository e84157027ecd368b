using FederatedCare.NodeAgent.Models;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using TorchSharp;

namespace FederatedCare.NodeAgent.Tests.Models;

public sealed class ModelTests
{
    private static readonly ModelSpec Spec = new() { Name = "logistic_regression" };
    private readonly ModelZoo _zoo = new();

    [Fact]
    public void Logistic_regression_has_FLamby_shaped_named_parameters()
    {
        var model = _zoo.CreateInitial(Spec, 42, 13);
        Assert.Equal(["linear.weight", "linear.bias"], model.Tensors.Select(t => t.Name));
        Assert.Equal([1L, 13L], model.Tensors[0].Shape);
        Assert.Equal([1L], model.Tensors[1].Shape);
        // PyTorch's Linear init: every value within ±1/sqrt(in_features).
        Assert.All(model.Tensors.SelectMany(t => t.Values), v => Assert.InRange(v, -1 / MathF.Sqrt(13), 1 / MathF.Sqrt(13)));
    }

    [Fact]
    public void The_initial_model_depends_only_on_the_seed()
    {
        var a = _zoo.CreateInitial(Spec, 42, 13).ComputeSha256();
        torch.random.manual_seed(7); // disturbing the global generator must not matter
        using (var noise = torch.rand(100)) { }
        Assert.Equal(a, _zoo.CreateInitial(Spec, 42, 13).ComputeSha256());
        Assert.NotEqual(a, _zoo.CreateInitial(Spec, 43, 13).ComputeSha256());
    }

    [Fact]
    public void Module_and_parameters_round_trip()
    {
        var values = new ModelParameters([
            new NamedTensor("linear.weight", [1, 13], Enumerable.Range(0, 13).Select(i => i * 0.25f - 1.5f).ToArray()),
            new NamedTensor("linear.bias", [1], [0.125f]),
        ]);
        using var module = _zoo.CreateWith(Spec, 13, values, torch.CPU);
        var back = ModelParameterMapper.ToParameters(module);
        Assert.Equal(values.ComputeSha256(), back.ComputeSha256());
        Assert.Equal(values.Tensors.Select(t => t.Name), back.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void Wrong_names_or_shapes_are_refused()
    {
        var wrongShape = new ModelParameters([
            new NamedTensor("linear.weight", [13, 1], new float[13]),
            new NamedTensor("linear.bias", [1], [0f]),
        ]);
        Assert.Contains("shape", Assert.Throws<InvalidDataException>(() => _zoo.CreateWith(Spec, 13, wrongShape, torch.CPU)).Message);
        var missing = new ModelParameters([new NamedTensor("linear.weight", [1, 13], new float[13])]);
        Assert.Contains("linear.bias", Assert.Throws<InvalidDataException>(() => _zoo.CreateWith(Spec, 13, missing, torch.CPU)).Message);
        var extra = new ModelParameters([
            new NamedTensor("linear.weight", [1, 13], new float[13]),
            new NamedTensor("linear.bias", [1], [0f]),
            new NamedTensor("other", [1], [0f]),
        ]);
        Assert.Contains("other", Assert.Throws<InvalidDataException>(() => _zoo.CreateWith(Spec, 13, extra, torch.CPU)).Message);
    }

    [Fact]
    public void Unknown_models_and_bad_hyperparameters_are_refused()
    {
        Assert.Throws<ModelSpecException>(() => _zoo.CreateInitial(new ModelSpec { Name = "resnet" }, 42, 13));
        var bad = new ModelSpec { Name = "logistic_regression" };
        bad.Hyperparameters["in_features"] = "twelve";
        Assert.Throws<ModelSpecException>(() => _zoo.CreateInitial(bad, 42, 13));
        var mismatch = new ModelSpec { Name = "logistic_regression" };
        mismatch.Hyperparameters["in_features"] = "12";
        Assert.Throws<ModelSpecException>(() => _zoo.CreateInitial(mismatch, 42, 13));
        var explicitWidth = new ModelSpec { Name = "logistic_regression" };
        explicitWidth.Hyperparameters["in_features"] = "13";
        Assert.Equal(_zoo.CreateInitial(Spec, 42, 13).ComputeSha256(), _zoo.CreateInitial(explicitWidth, 42, 13).ComputeSha256());
    }

    [Fact]
    public void Subtract_gives_local_minus_global()
    {
        var g = new ModelParameters([new NamedTensor("w", [2], [1f, 2f])]);
        var l = new ModelParameters([new NamedTensor("w", [2], [1.5f, 1f])]);
        Assert.Equal([0.5f, -1f], ModelParameterMapper.Subtract(l, g).Tensors[0].Values);
    }
}
