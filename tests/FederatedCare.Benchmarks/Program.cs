// FederatedCare benchmarks: reference baselines (FLamby's pooled and local training) printed as CSV.
// Example: dotnet FederatedCare.Benchmarks.dll pooled --data data/heart-disease --seed 42
using FederatedCare.Benchmarks;

return await BenchmarksCommand.Create().Parse(args).InvokeAsync();
