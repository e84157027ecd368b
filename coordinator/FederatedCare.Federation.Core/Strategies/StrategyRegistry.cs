using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>All registered strategies by name (case-insensitive); new strategies plug in as <see cref="IStrategyFactory"/>.</summary>
public sealed class StrategyRegistry(IEnumerable<IStrategyFactory> factories)
{
    private readonly Dictionary<string, IStrategyFactory> _factories =
        factories.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Registered names, sorted.</summary>
    public IReadOnlyList<string> Names => _factories.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Creates the strategy a spec names.</summary>
    /// <exception cref="ArgumentException">Unknown name or bad parameters; the message names the field.</exception>
    public IStrategy Create(StrategySpec? spec)
    {
        var name = spec?.Name ?? "";
        if (!_factories.TryGetValue(name, out var factory))
            throw new ArgumentException(name.Length == 0
                ? $"spec.strategy.name is required (known: {string.Join(", ", Names)})."
                : $"spec.strategy.name '{name}' is not a known strategy (known: {string.Join(", ", Names)}).");
        return factory.Create(spec!);
    }
}
