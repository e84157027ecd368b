using System.Globalization;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// Reads a strategy's <c>StrategySpec.parameters</c> for an <c>*Options</c> class: refuses names the strategy does not
/// know and values out of range, with messages naming the strategy and the parameter
/// (e.g. "fedadam: spec.strategy.parameters.beta1 must be in [0, 1), got 1.").
/// </summary>
public sealed class StrategyParameters
{
    private readonly string _strategy;
    private readonly IReadOnlyDictionary<string, double> _values;

    /// <exception cref="ArgumentException">A parameter name is not in <paramref name="known"/>.</exception>
    public StrategyParameters(string strategy, IReadOnlyDictionary<string, double> values, params string[] known)
    {
        _strategy = strategy;
        _values = values;
        foreach (var name in values.Keys.Order(StringComparer.Ordinal))
            if (!known.Contains(name, StringComparer.Ordinal))
                throw new ArgumentException(known.Length == 0
                    ? $"spec.strategy.parameters.{name} is not a {strategy} parameter ({strategy} takes none)."
                    : $"spec.strategy.parameters.{name} is not a {strategy} parameter (known: {string.Join(", ", known)}).");
    }

    /// <summary>A finite real parameter that must satisfy <paramref name="valid"/> (described by <paramref name="rule"/>).</summary>
    public double Real(string name, double defaultValue, Func<double, bool> valid, string rule)
    {
        if (!_values.TryGetValue(name, out var value)) return defaultValue;
        return double.IsFinite(value) && valid(value) ? value : throw Invalid(name, rule, value);
    }

    /// <summary>An integer-valued parameter ≥ <paramref name="min"/>.</summary>
    public int Count(string name, int defaultValue, int min)
    {
        if (!_values.TryGetValue(name, out var value)) return defaultValue;
        return double.IsFinite(value) && value == Math.Floor(value) && value >= min && value <= int.MaxValue
            ? (int)value : throw Invalid(name, $"an integer >= {min}", value);
    }

    /// <summary>A 0/1 flag.</summary>
    public bool Flag(string name, bool defaultValue)
    {
        if (!_values.TryGetValue(name, out var value)) return defaultValue;
        return value is 0 or 1 ? value == 1 : throw Invalid(name, "0 or 1", value);
    }

    private ArgumentException Invalid(string name, string rule, double value) => new(
        $"{_strategy}: spec.strategy.parameters.{name} must be {rule}, got {value.ToString(CultureInfo.InvariantCulture)}.");
}
