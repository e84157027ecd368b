using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace FederatedCare.Coordinator.Framing;

/// <summary>
/// Gives every gRPC call (an endpoint with <see cref="GrpcMethodMetadata"/> and a content-type
/// <c>application/grpc*</c>) a request body that checks its message framing (<see cref="FramingPipeReader"/>):
/// grpc-dotnet reads requests from <c>HttpContext.Request.BodyReader</c>, which is the
/// <see cref="IRequestBodyPipeFeature"/> replaced here. Must run after routing (the endpoint says the method type).
/// </summary>
internal sealed class GrpcFramingMiddleware(RequestDelegate next, IOptions<GrpcServiceOptions> grpc)
{
    /// <summary>Wraps the body of a gRPC call, then runs the rest of the pipeline.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is { } method
            && context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true
            && context.Features.Get<IRequestBodyPipeFeature>() is { } body)
        {
            string? encoding = context.Request.Headers.TryGetValue("grpc-encoding", out var values) ? values.ToString() : null;
            bool single = method.Method.Type is MethodType.Unary or MethodType.ServerStreaming;
            context.Features.Set<IRequestBodyPipeFeature>(
                new FramedBody(new FramingPipeReader(body.Reader, encoding, single, grpc.Value.MaxReceiveMessageSize)));
        }
        return next(context);
    }

    private sealed class FramedBody(FramingPipeReader reader) : IRequestBodyPipeFeature
    {
        public System.IO.Pipelines.PipeReader Reader => reader;
    }
}
