// FederatedCare node agent: trains on this region's data and talks to the coordinator over outbound gRPC only.
// Example: dotnet FederatedCare.NodeAgent.dll --NodeAgent:Region=Halland --NodeAgent:Datasets:heart-disease:Path=data/heart-disease/processed.cleveland.data
// The region's data team approves or refuses waiting jobs with: dotnet FederatedCare.NodeAgent.dll approvals list --config node.json
using FederatedCare.NodeAgent.Extensions;
using FederatedCare.NodeAgent.Governance;

if (args.Length > 0 && args[0] == ApprovalsCommand.Name) return await ApprovalsCommand.Create().Parse(args[1..]).InvokeAsync();
return await NodeAgentHost.RunAsync(args);
