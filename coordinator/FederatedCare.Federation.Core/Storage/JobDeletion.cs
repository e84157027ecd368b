namespace FederatedCare.Federation.Core.Storage;

/// <summary>What <see cref="ICoordinatorStore.DeleteJobAsync"/> did.</summary>
public enum JobDeletion
{
    /// <summary>The finished job's rows and model files are gone.</summary>
    Deleted,

    /// <summary>No job has that id; nothing changed.</summary>
    NotFound,

    /// <summary>The job is pending or running; nothing changed.</summary>
    NotFinished,
}
