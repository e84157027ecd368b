using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace FederatedCare.Coordinator.Settings;

/// <summary>
/// The configuration keys of the <c>Coordinator</c> section, taken from <see cref="CoordinatorOptions"/> by reflection:
/// what <c>--help</c> lists and what a configuration may set. The binder alone would ignore a misspelt key
/// (<c>Coordinator:HeartbeatSecond</c>) and its own unknown-key error names neither the section nor the full path.
/// </summary>
public static class CoordinatorSettings
{
    /// <summary>
    /// Every writable setting with its default, nested option classes flattened (<c>Coordinator:Tls:KeyPath</c>): those
    /// of <see cref="CoordinatorOptions"/> and of <see cref="Storage.StoreOptions"/> (bound from the same section).
    /// </summary>
    public static IEnumerable<(string Key, PropertyInfo Property, object? Default)> All() =>
        Below(CoordinatorOptions.SectionName, new CoordinatorOptions()).Concat(Below(CoordinatorOptions.SectionName, new Storage.StoreOptions()));

    /// <summary>
    /// Throws when the configuration sets a key below <c>Coordinator</c> that is no setting; an array setting
    /// (<c>EvaluationSplits</c>) takes its element keys (<c>EvaluationSplits:0</c>). Keys compare case-insensitively,
    /// as the binder does.
    /// </summary>
    /// <exception cref="InvalidOperationException">An unknown key, named in full with a hint to <c>--help</c>.</exception>
    public static void ThrowIfUnknown(IConfiguration configuration)
    {
        var settings = All().ToList();
        var scalars = settings.Select(s => s.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var arrays = settings.Where(s => IsSequence(s.Property.PropertyType)).Select(s => s.Key + ":").ToList();
        var unknown = configuration.GetSection(CoordinatorOptions.SectionName).AsEnumerable()
            .Where(kv => kv.Value is not null && !scalars.Contains(kv.Key)
                && !arrays.Any(a => kv.Key.StartsWith(a, StringComparison.OrdinalIgnoreCase)))
            .Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new InvalidOperationException(
                $"{string.Join(", ", unknown)} {(unknown.Count == 1 ? "is not a setting" : "are not settings")} of the coordinator (see --help).");
    }

    private static IEnumerable<(string, PropertyInfo, object?)> Below(string prefix, object options)
    {
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var value = property.GetValue(options);
            var key = $"{prefix}:{property.Name}";
            if (value is null || !property.PropertyType.IsClass || property.PropertyType == typeof(string) || IsSequence(property.PropertyType))
            {
                yield return (key, property, value);
                continue;
            }
            foreach (var inner in Below(key, value)) yield return inner;
        }
    }

    private static bool IsSequence(Type type) => type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);
}
