using FederatedCare.Cli;
using FederatedCare.Cli.Commands;
using FederatedCare.Cli.Output;

ConsoleWidth.Apply();
return await CliErrors.RunAsync(FedcareCommand.Create().Parse(args));
