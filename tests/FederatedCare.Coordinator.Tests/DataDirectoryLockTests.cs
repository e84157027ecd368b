using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Storage;

namespace FederatedCare.Coordinator.Tests;

public sealed class DataDirectoryLockTests
{
    [Fact]
    public void A_second_coordinator_cannot_take_a_data_directory_in_use_until_the_first_lets_go()
    {
        var dir = TestModels.TempDirectory();
        var first = DataDirectoryLock.Acquire(dir);

        var e = Assert.Throws<IOException>(() => DataDirectoryLock.Acquire(dir));
        Assert.Contains(Path.GetFullPath(dir), e.Message);
        Assert.Contains("in use by another coordinator", e.Message);

        first.Dispose();
        DataDirectoryLock.Acquire(dir).Dispose();
    }
}
