namespace FederatedCare.Node.Sdk;

/// <summary>A task cannot run on this node (its model, dataset or data do not fit): logged and dropped, the node goes on.</summary>
public class NodeTaskRejectedException(string message, Exception? inner = null) : Exception(message, inner);
