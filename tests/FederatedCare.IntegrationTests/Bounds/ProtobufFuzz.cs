using Google.Protobuf;

namespace FederatedCare.IntegrationTests.Bounds;

/// <summary>
/// Seeded random and mutated protobuf messages: random bytes, bit flips, truncations, inserted or deleted bytes,
/// a field of wire type 6 or 7, a length-delimited field claiming 2³¹ bytes, unknown but well-formed fields, and
/// splices. Mutations start from a valid message of the call's request type, so that many still parse and reach the
/// coordinator's own checks, and the rest exercise the parser.
/// </summary>
internal sealed class ProtobufFuzz(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>One message's bytes, derived from <paramref name="valid"/> (a valid serialised request).</summary>
    public byte[] Next(byte[] valid)
    {
        var bytes = new List<byte>(valid);
        switch (_random.Next(9))
        {
            case 0:
                return RandomBytes(_random.Next(0, 48));
            case 1:
                for (int i = _random.Next(1, 5); i > 0 && bytes.Count > 0; i--)
                    bytes[_random.Next(bytes.Count)] ^= (byte)(1 << _random.Next(8));
                break;
            case 2:
                // Truncated: cut anywhere before its end.
                bytes = bytes.Take(_random.Next(Math.Max(1, bytes.Count))).ToList();
                break;
            case 3:
                if (_random.Next(2) == 0 || bytes.Count == 0) bytes.Insert(_random.Next(bytes.Count + 1), (byte)_random.Next(256));
                else bytes.RemoveAt(_random.Next(bytes.Count));
                break;
            case 4:
                // Wire types 6 and 7 do not exist.
                bytes.AddRange(Varint((ulong)((_random.Next(1, 40) << 3) | (6 + _random.Next(2)))));
                bytes.AddRange(RandomBytes(_random.Next(0, 4)));
                break;
            case 5:
                // A length-delimited field claiming 2³¹ (or 2³¹ − 1) bytes, followed by a few.
                bytes.AddRange(Varint((ulong)((_random.Next(1, 16) << 3) | 2)));
                bytes.AddRange(Varint(_random.Next(2) == 0 ? 1UL << 31 : (1UL << 31) - 1));
                bytes.AddRange(RandomBytes(_random.Next(0, 8)));
                break;
            case 6:
                // A well-formed field of a number the message does not have: parses, and must be ignored.
                bytes.AddRange(Varint((ulong)_random.Next(100, 2000) << 3));
                bytes.AddRange(Varint((ulong)_random.NextInt64()));
                break;
            case 7:
                // Splice: the valid message cut and continued with random bytes.
                bytes = bytes.Take(_random.Next(bytes.Count + 1)).Concat(RandomBytes(_random.Next(1, 16))).ToList();
                break;
            default:
                return valid;
        }
        return bytes.ToArray();
    }

    /// <summary>Whether the protobuf library itself can parse <paramref name="bytes"/> as <paramref name="parser"/>'s type.</summary>
    public static bool Parses(MessageParser parser, byte[] bytes)
    {
        try
        {
            parser.ParseFrom(bytes);
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private static IEnumerable<byte> Varint(ulong value)
    {
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            yield return value == 0 ? b : (byte)(b | 0x80);
        }
        while (value != 0);
    }
}
