using System.CommandLine;
using FederatedCare.Protos.V1;
using Grpc.Net.Client;

namespace FederatedCare.Cli;

/// <summary>
/// The coordinator address every command shares (<c>--coordinator</c>, or the FEDCARE_COORDINATOR environment
/// variable) and the gRPC clients made from it.
/// </summary>
public static class CoordinatorConnection
{
    /// <summary>Default address when neither the option nor the environment variable is set.</summary>
    public const string DefaultAddress = "http://127.0.0.1:5050";

    /// <summary>The recursive <c>--coordinator</c> option.</summary>
    public static readonly Option<string> AddressOption = new("--coordinator", "-c")
    {
        Description = "Coordinator address (env FEDCARE_COORDINATOR).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FEDCARE_COORDINATOR") ?? DefaultAddress,
    };

    /// <summary>Opens a channel to the coordinator named on the command line.</summary>
    public static GrpcChannel Open(ParseResult parse) =>
        GrpcChannel.ForAddress(parse.GetRequiredValue(AddressOption), new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        });

    /// <summary>An Operator client for the command's coordinator.</summary>
    public static Operator.OperatorClient OperatorClient(ParseResult parse) => new(Open(parse));

    /// <summary>A Research client for the command's coordinator.</summary>
    public static Research.ResearchClient ResearchClient(ParseResult parse) => new(Open(parse));
}
