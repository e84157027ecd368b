using System.CommandLine;
using Grpc.Core;
using Grpc.Health.V1;

namespace FederatedCare.Cli.Commands;

/// <summary><c>fedcare health [--wait SECONDS]</c>: asks the coordinator's gRPC health service, optionally waiting.</summary>
public static class HealthCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var wait = new Option<double>("--wait") { Description = "Keep asking for up to this many seconds.", DefaultValueFactory = _ => 0 };
        var command = new Command("health", Help.WithExample("Check that the coordinator is serving.", "fedcare health --wait 30")) { wait };
        command.SetAction(async (parse, ct) =>
        {
            var client = new Health.HealthClient(CoordinatorConnection.Open(parse));
            var until = DateTime.UtcNow.AddSeconds(parse.GetValue(wait));
            while (true)
            {
                try
                {
                    var reply = await client.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: ct);
                    if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                    {
                        Console.WriteLine("SERVING");
                        return 0;
                    }
                }
                catch (RpcException) when (DateTime.UtcNow < until)
                {
                }
                catch (RpcException e)
                {
                    Console.Error.WriteLine($"coordinator not reachable: {e.Status.Detail}");
                    return 1;
                }
                if (DateTime.UtcNow >= until) { Console.Error.WriteLine("coordinator not serving"); return 1; }
                await Task.Delay(100, ct);
            }
        });
        return command;
    }
}
