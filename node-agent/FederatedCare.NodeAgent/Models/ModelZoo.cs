using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using TorchSharp;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Models;

/// <summary>The architectures this agent can train, keyed by <see cref="ModelSpec.Name"/>.</summary>
public sealed class ModelZoo
{
    // torch's global generator is process-wide: seeding and constructing must not interleave with another
    // construction (parallel tests, or a future concurrent agent), or "the same seed" gives different models.
    private static readonly Lock SeedLock = new();

    private readonly Dictionary<string, IModelDefinition> _definitions;

    /// <summary>A zoo with the built-in models (<c>logistic_regression</c>, <c>multinomial_logistic_regression</c>,
    /// <c>linear_regression</c>, <c>mlp</c>, <c>cox</c>).</summary>
    public ModelZoo() : this([new LogisticRegressionDefinition(), new MultinomialLogisticRegressionDefinition(), new LinearRegressionDefinition(), new MlpDefinition(),
        new CoxDefinition()]) { }

    /// <summary>A zoo with the given models.</summary>
    public ModelZoo(IEnumerable<IModelDefinition> definitions) =>
        _definitions = definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);

    /// <summary>Names of the known models.</summary>
    public IEnumerable<string> Names => _definitions.Keys;

    /// <summary>The definition of <paramref name="name"/>.</summary>
    /// <exception cref="ModelSpecException">Unknown model.</exception>
    public IModelDefinition Get(string name) =>
        _definitions.TryGetValue(name, out var d)
            ? d
            : throw new ModelSpecException($"Unknown model '{name}'; this agent knows {string.Join(", ", _definitions.Keys)}.");

    // The definition of spec's model, once its hyperparameter keys are known to it: a misspelt key must not train the default.
    private IModelDefinition Definition(ModelSpec spec)
    {
        var definition = Get(spec.Name);
        if (Protos.Wire.ModelCatalog.UnknownKey(spec.Name, [.. definition.Hyperparameters], spec.Hyperparameters.Keys) is { } unknown)
            throw new ModelSpecException($"Model spec refused: {unknown}.");
        return definition;
    }

    /// <summary>Checks that <paramref name="spec"/> names a known model whose hyperparameters fit <paramref name="shape"/>.</summary>
    /// <exception cref="ModelSpecException">Unknown model, a hyperparameter it does not take or a bad one, or a mismatch with the data.</exception>
    public void Check(ModelSpec spec, DataShape shape)
    {
        var definition = Definition(spec);
        lock (SeedLock) definition.Create(spec, shape).Dispose();
    }

    /// <summary>
    /// The initial (round 0) model of a job: <c>torch.random.manual_seed(seed)</c>, then construct the module, as
    /// FLamby does; every node computes the same weights. Returned as wire parameters (float32, CPU).
    /// </summary>
    public ModelParameters CreateInitial(ModelSpec spec, long seed, int inputWidth) => CreateInitial(spec, seed, new DataShape(inputWidth));

    /// <inheritdoc cref="CreateInitial(ModelSpec, long, int)"/>
    public ModelParameters CreateInitial(ModelSpec spec, long seed, DataShape shape)
    {
        var definition = Definition(spec);
        lock (SeedLock)
        {
            torch.random.manual_seed(seed);
            using var module = definition.Create(spec, shape);
            return ModelParameterMapper.ToParameters(module);
        }
    }

    /// <summary>A module of <paramref name="spec"/> holding <paramref name="parameters"/>, on <paramref name="device"/>.</summary>
    /// <exception cref="ModelSpecException">Unknown model, or a hyperparameter it does not take or a bad one.</exception>
    /// <exception cref="InvalidDataException">The parameters do not match the module's names or shapes.</exception>
    public nn.Module<Tensor, Tensor> CreateWith(ModelSpec spec, int inputWidth, ModelParameters parameters, Device device) =>
        CreateWith(spec, new DataShape(inputWidth), parameters, device);

    /// <inheritdoc cref="CreateWith(ModelSpec, int, ModelParameters, Device)"/>
    public nn.Module<Tensor, Tensor> CreateWith(ModelSpec spec, DataShape shape, ModelParameters parameters, Device device)
    {
        var definition = Definition(spec);
        nn.Module<Tensor, Tensor> module;
        // Construction draws random initial values from the global generator; they are overwritten at once, but the
        // draw must still not interleave with a seeded CreateInitial.
        lock (SeedLock) module = definition.Create(spec, shape);
        try
        {
            module.to(device);
            ModelParameterMapper.Load(module, parameters);
            return module;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }
}
