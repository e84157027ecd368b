namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// A double's bit pattern as an unsigned key in the same order as the numbers (−0 just below +0): the space the
/// quantile bisection halves. The node side (<c>FederatedCare.NodeAgent.Analysis.OrderedDoubleKey</c>) must map
/// exactly alike; both sides' tests pin the same keys.
/// </summary>
public static class OrderedDoubleKey
{
    private const ulong SignBit = 0x8000_0000_0000_0000UL;

    /// <summary>The key of <paramref name="value"/> (not NaN).</summary>
    public static ulong Of(double value)
    {
        ulong bits = (ulong)BitConverter.DoubleToInt64Bits(value);
        return (bits & SignBit) == 0 ? bits | SignBit : ~bits;
    }

    /// <summary>The double whose key is <paramref name="key"/>.</summary>
    public static double ToDouble(ulong key) => BitConverter.Int64BitsToDouble((long)((key & SignBit) != 0 ? key & ~SignBit : ~key));

    /// <summary>The key of the most negative finite double: where every bisection starts.</summary>
    public static ulong Lowest { get; } = Of(double.MinValue);

    /// <summary>The key of the largest finite double.</summary>
    public static ulong Highest { get; } = Of(double.MaxValue);

    /// <summary>The bisection's probe in [<paramref name="low"/>, <paramref name="high"/>]: the lower middle key.</summary>
    public static ulong Middle(ulong low, ulong high) => low + (high - low) / 2;
}
