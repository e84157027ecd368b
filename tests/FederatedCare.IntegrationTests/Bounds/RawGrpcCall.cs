using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;

namespace FederatedCare.IntegrationTests.Bounds;

/// <summary>
/// A gRPC call written by hand: one HTTP/2 POST over cleartext (prior knowledge, no upgrade) whose body is exactly the
/// bytes given, so a test can send framing no gRPC client would produce. The status comes from the trailers, or from
/// the headers of a trailers-only response.
/// </summary>
internal sealed class RawGrpcCall(Uri address) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true });

    /// <summary>Posts <paramref name="body"/> to <paramref name="method"/> ("/package.Service/Method").</summary>
    /// <param name="encoding">The grpc-encoding request header; none when null.</param>
    /// <returns>grpc-status and the percent-decoded grpc-message ("" when absent).</returns>
    public async Task<(StatusCode Status, string Message)> SendAsync(string method, byte[] body, string? encoding = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, method))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        if (encoding is not null) request.Headers.Add("grpc-encoding", encoding);
        using var response = await _http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var status = Header(response, "grpc-status") ?? throw new InvalidOperationException($"No grpc-status in the response to {method} (HTTP {(int)response.StatusCode}).");
        return ((StatusCode)int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), Uri.UnescapeDataString(Header(response, "grpc-message") ?? ""));
    }

    /// <summary>A message frame: compressed flag, big-endian length, payload.</summary>
    public static byte[] Frame(byte flag, uint length, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), length);
        payload.CopyTo(frame.AsSpan(5));
        return frame;
    }

    public void Dispose() => _http.Dispose();

    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.First()
        : response.Headers.TryGetValues(name, out var header) ? header.First() : null;
}
