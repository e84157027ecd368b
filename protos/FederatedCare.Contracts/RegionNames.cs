using System.Globalization;
using System.Text;

namespace FederatedCare.Protos.V1;

/// <summary>
/// A region has an identifier and a display name. The identifier is what certificates (the node's CN), node configs,
/// job specs (<c>spec.regions</c>), file names (<c>local-&lt;region&gt;.safetensors</c>) and the store use: 1 to
/// <see cref="WireLimits.RegionChars"/> characters, after Unicode NFC normalisation, of letters of any script (Å, Ö,
/// ä), digits, combining marks (for scripts without precomposed letters), '-', '_' and '.', starting with a letter or
/// digit; no spaces, no control characters, e.g. <c>Jonkoping</c>, <c>Skåne</c>, <c>Vastra_Gotaland</c>. The display
/// name is what people read (<c>fedcare nodes</c>): up to <see cref="WireLimits.RegionDisplayNameChars"/> characters,
/// spaces allowed, no control characters, e.g. "Region Jönköpings län"; empty means the identifier. Identifiers are
/// compared after NFC normalisation everywhere they enter (Register, the node config, provision, spec.regions), so a
/// decomposed "Skåne" (a + U+030A) and a composed one (å) are the same region.
/// </summary>
public static class RegionNames
{
    /// <summary>
    /// The NFC form of <paramref name="name"/> (itself when already normalised); a string that is not valid UTF-16 (an
    /// unpaired surrogate) comes back unchanged, and <see cref="IdentifierProblem"/> refuses it.
    /// </summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        try
        {
            return name.IsNormalized(NormalizationForm.FormC) ? name : name.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return name;
        }
    }

    /// <summary>Whether <paramref name="c"/> may appear in a region identifier (see the class summary).</summary>
    public static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c is '-' or '_' or '.'
        || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    /// <summary>
    /// Null when <paramref name="id"/> (already NFC-normalised, see <see cref="Normalize"/>) is a valid identifier, else
    /// what is wrong, e.g. "character ' ' (U+0020) at index 6 is not allowed; ...". Never quotes the whole value.
    /// </summary>
    public static string? IdentifierProblem(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 0) return $"required (1 to {WireLimits.RegionChars} characters).";
        if (id.Length > WireLimits.RegionChars) return $"at most {WireLimits.RegionChars} characters, got {id.Length}.";
        for (int i = 0; i < id.Length; i++)
            if (!IsIdentifierChar(id[i]))
                return $"character {Describe(id[i])} at index {i} is not allowed; a region identifier has letters, digits, '-', '_' " +
                    "and '.' only (no spaces: put those in the region's display name).";
        if (!char.IsLetterOrDigit(id[0])) return "must start with a letter or digit.";
        return null;
    }

    /// <summary>Null when <paramref name="displayName"/> is a valid display name (empty allowed), else what is wrong.</summary>
    public static string? DisplayNameProblem(string displayName)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        if (displayName.Length > WireLimits.RegionDisplayNameChars)
            return $"at most {WireLimits.RegionDisplayNameChars} characters, got {displayName.Length}.";
        for (int i = 0; i < displayName.Length; i++)
        {
            char c = displayName[i];
            if (char.IsHighSurrogate(c) && i + 1 < displayName.Length && char.IsLowSurrogate(displayName[i + 1]))
            {
                i++; // a whole character outside the BMP (e.g. an emoji)
                continue;
            }
            if (WireLimits.IsControl(c) || char.IsSurrogate(c))
                return $"character {Describe(c)} at index {i} is not allowed (control characters and broken UTF-16 are refused).";
        }
        if (displayName.Length > 0 && (char.IsWhiteSpace(displayName[0]) || char.IsWhiteSpace(displayName[^1])))
            return "no leading or trailing space.";
        return null;
    }

    // A control character must not reach the message as itself: only its code point.
    private static string Describe(char c) => char.IsControl(c) || char.IsSurrogate(c) || char.IsWhiteSpace(c) && c != ' '
        ? $"U+{(int)c:X4}" : $"'{c}' (U+{(int)c:X4})";
}
