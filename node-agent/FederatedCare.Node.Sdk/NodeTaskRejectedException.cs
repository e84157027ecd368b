namespace FederatedCare.Node.Sdk;

/// <summary>A task cannot run on this node (its model, dataset or data do not fit): logged and dropped, the node goes on.</summary>
public class NodeTaskRejectedException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>
    /// The reason the coordinator is told (<c>ReportRefusal</c>): the message, unless a subclass must keep part of it
    /// in the region (a data file's cell values, say).
    /// </summary>
    public virtual string ReasonForCoordinator => Message;
}
