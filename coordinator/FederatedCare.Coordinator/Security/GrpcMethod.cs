namespace FederatedCare.Coordinator.Security;

/// <summary>A gRPC method path, <c>/federatedcare.v1.Operator/StartJob</c>, split into service and method.</summary>
/// <param name="Service">The service's full name, e.g. <c>federatedcare.v1.Operator</c>.</param>
/// <param name="Method">The method, e.g. <c>StartJob</c>.</param>
internal readonly record struct GrpcMethod(string Service, string Method)
{
    public static GrpcMethod Parse(string path)
    {
        var trimmed = path.TrimStart('/');
        int slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new GrpcMethod(trimmed, "") : new GrpcMethod(trimmed[..slash], trimmed[(slash + 1)..]);
    }

    /// <summary><c>Operator/StartJob</c>: the service without its package, as messages name it.</summary>
    public override string ToString() => $"{Service[(Service.LastIndexOf('.') + 1)..]}/{Method}";
}
