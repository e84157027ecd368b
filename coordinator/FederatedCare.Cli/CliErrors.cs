using System.CommandLine;
using FederatedCare.Protos.Security;
using Grpc.Core;

namespace FederatedCare.Cli;

/// <summary>
/// Turns every failure of a command into one line on stderr and an exit code, never a stack trace: gRPC errors
/// (with the coordinator's address when it cannot be reached), cancellation (Ctrl-C, SIGTERM), file errors, unusable
/// TLS settings and a malformed address.
/// </summary>
public static class CliErrors
{
    /// <summary>Exit code after Ctrl-C or SIGTERM, as shells report SIGINT.</summary>
    public const int Cancelled = 130;

    /// <summary>Invokes the parsed command with this error handling.</summary>
    public static async Task<int> RunAsync(ParseResult parse)
    {
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is OperationCanceledException || e is RpcException { StatusCode: StatusCode.Cancelled })
        {
            Console.Error.WriteLine("cancelled");
            return Cancelled;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            Console.Error.WriteLine($"{e.StatusCode}: the coordinator at {parse.GetValue(CoordinatorConnection.AddressOption)} cannot be reached ({e.Status.Detail})");
            return 1;
        }
        catch (RpcException e)
        {
            Console.Error.WriteLine($"{e.StatusCode}: {e.Status.Detail}");
            return 1;
        }
        catch (TlsConfigurationException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        catch (UriFormatException)
        {
            Console.Error.WriteLine($"'{parse.GetValue(CoordinatorConnection.AddressOption)}' is not a coordinator address (expected http:// or https://, e.g. {CoordinatorConnection.DefaultAddress})");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }
}
