namespace FederatedCare.NodeAgent.Models;

/// <summary>A job's model spec names an unknown model or has a malformed or incompatible hyperparameter.</summary>
public sealed class ModelSpecException(string message) : FederatedCare.Node.Sdk.NodeTaskRejectedException(message);
