using FederatedCare.Cli;
using FederatedCare.Cli.Commands;

return await CliErrors.RunAsync(FedcareCommand.Create().Parse(args));
