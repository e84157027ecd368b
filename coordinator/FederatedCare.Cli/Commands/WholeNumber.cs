using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace FederatedCare.Cli.Commands;

/// <summary>
/// Parses a whole-number option with a readable error, e.g. <c>--rounds: 'abc' is not a whole number</c>, instead of
/// System.CommandLine's message naming the CLR type.
/// </summary>
public static class WholeNumber
{
    /// <summary>A <see cref="Option{T}.CustomParser"/>: the option's value, or null with the error added to the parse.</summary>
    public static T? Parse<T>(ArgumentResult result) where T : struct, IBinaryInteger<T>
    {
        var token = result.Tokens.Single().Value;
        if (T.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        result.AddError($"{(result.Parent as OptionResult)?.Option.Name}: '{token}' is not a whole number");
        return null;
    }
}
