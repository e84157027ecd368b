using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FederatedCare.Benchmarks.Scale;

/// <summary>
/// The bare byte-stream service (<c>bare.proto</c>): chunks wrap a preallocated float array exactly as the real
/// download does (<see cref="FloatBytes"/>, no copy); uploads are read and dropped. Hosted by <see cref="Run"/> with
/// the coordinator's Kestrel settings (HTTP/2 only, 16 MiB windows), in its own process like the coordinator.
/// </summary>
public sealed class BareStreamService : BareStream.BareStreamBase
{
    private static float[] _payload = [];

    /// <inheritdoc/>
    public override async Task Download(BareRequest request, IServerStreamWriter<ModelChunk> responseStream, ServerCallContext context)
    {
        long elements = request.Bytes / sizeof(float);
        if (_payload.LongLength < elements) _payload = new float[elements];
        int perChunk = request.ChunkBytes / sizeof(float);
        for (long start = 0; start < elements; start += perChunk)
        {
            int count = (int)Math.Min(perChunk, elements - start);
            var chunk = new ModelChunk { Data = UnsafeByteOperations.UnsafeWrap(new FloatBytes(_payload, (int)start, count).Memory) };
            await responseStream.WriteAsync(chunk, context.CancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async Task<BareReply> Upload(IAsyncStreamReader<ModelChunk> requestStream, ServerCallContext context)
    {
        long bytes = 0;
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false)) bytes += requestStream.Current.Data.Length;
        return new BareReply { Bytes = bytes };
    }

    /// <summary>Hosts the service on an ephemeral loopback port, prints <c>listening URL</c> and runs until killed.</summary>
    public static async Task Run(int windowBytes)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2);
            k.Limits.Http2.InitialConnectionWindowSize = windowBytes;
            k.Limits.Http2.InitialStreamWindowSize = windowBytes;
        });
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 64 << 20);
        var app = builder.Build();
        app.MapGrpcService<BareStreamService>();
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine("listening " + address);
        await app.WaitForShutdownAsync().ConfigureAwait(false);
    }
}
