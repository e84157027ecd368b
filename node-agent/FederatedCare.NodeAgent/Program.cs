// FederatedCare node agent: trains on this region's data and talks to the coordinator over outbound gRPC only.
// Example: dotnet FederatedCare.NodeAgent.dll --NodeAgent:Region=Halland --NodeAgent:Datasets:heart-disease:Path=data/heart-disease/processed.cleveland.data
using FederatedCare.NodeAgent.Extensions;

return await NodeAgentHost.RunAsync(args);
