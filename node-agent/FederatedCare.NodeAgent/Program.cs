// FederatedCare node agent: trains on this region's data and talks to the coordinator over outbound gRPC only.
// Example: dotnet FederatedCare.NodeAgent.dll --NodeAgent:Region=Halland --NodeAgent:Datasets:heart-disease:Path=data/heart-disease/processed.cleveland.data
// A command verb acts on the node's own state instead: dotnet FederatedCare.NodeAgent.dll audit verify --config node.json,
// approvals list --config node.json (the region's data team approves or refuses waiting jobs)
using FederatedCare.NodeAgent.Commands;

return await NodeAgentCommands.RunAsync(args);
