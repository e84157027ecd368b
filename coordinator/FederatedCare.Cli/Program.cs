using FederatedCare.Cli.Commands;

return await FedcareCommand.Create().Parse(args).InvokeAsync();
