// FederatedCare benchmarks: reference baselines (FLamby's pooled and local training) printed as CSV.
// Example: dotnet FederatedCare.Benchmarks.dll pooled --data data/heart-disease --seed 42
// `noop-agent AGENT-ARGS...` runs the real node agent with the no-op trainer (scripts/soak.sh).
using FederatedCare.Benchmarks;
using FederatedCare.Benchmarks.Scale;
using FederatedCare.Node.Sdk;
using FederatedCare.NodeAgent.Extensions;
using Microsoft.Extensions.DependencyInjection;

if (args is [NoOpAgent.Command, .. var agentArgs])
    return await NodeAgentHost.RunAsync(agentArgs, services => services.AddSingleton<INodeTrainer, NoOpTrainer>());
return await BenchmarksCommand.Create().Parse(args).InvokeAsync();
