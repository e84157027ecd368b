using System.Diagnostics;
using System.Net;
using FederatedCare.Protos.Wire;
using Grpc.Net.Client;

namespace FederatedCare.Benchmarks.Scale;

/// <summary>Client side of the bare byte stream: seconds to download and to upload a payload of the model's size.</summary>
public static class BareTransfer
{
    /// <summary>Seconds for one download and one upload of <paramref name="model"/>'s bytes in chunks of <paramref name="chunkBytes"/>.</summary>
    public static async Task<(double Download, double Upload)> MeasureAsync(Uri address, ModelParameters model, int chunkBytes)
    {
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { InitialHttp2StreamWindowSize = 16 * 1024 * 1024, AutomaticDecompression = DecompressionMethods.None },
            MaxReceiveMessageSize = 64 << 20,
        });
        var client = new BareStream.BareStreamClient(channel);
        long bytes = model.TotalBytes;

        var watch = Stopwatch.StartNew();
        using (var call = client.Download(new BareRequest { Bytes = bytes, ChunkBytes = chunkBytes }))
        {
            long seen = 0;
            while (await call.ResponseStream.MoveNext(CancellationToken.None)) seen += call.ResponseStream.Current.Data.Length;
            if (seen != bytes) throw new InvalidOperationException($"bare download: {seen} of {bytes} bytes");
        }
        double download = watch.Elapsed.TotalSeconds;

        watch.Restart();
        using (var call = client.Upload())
        {
            foreach (var chunk in ModelStream.ToChunks(model, chunkBytes).Skip(1)) await call.RequestStream.WriteAsync(chunk);
            await call.RequestStream.CompleteAsync();
            var reply = await call.ResponseAsync;
            if (reply.Bytes != bytes) throw new InvalidOperationException($"bare upload: {reply.Bytes} of {bytes} bytes");
        }
        return (download, watch.Elapsed.TotalSeconds);
    }
}
