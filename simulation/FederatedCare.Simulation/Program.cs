// fedcare-sim: simulation mode. Example: fedcare-sim --clients 1000 --partition dirichlet --alpha 0.3 --rounds 20
using FederatedCare.Simulation;

return await SimulationCommand.Create().Parse(args).InvokeAsync();
