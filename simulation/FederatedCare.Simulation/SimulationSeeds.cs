namespace FederatedCare.Simulation;

/// <summary>Seeds of the virtual clients' local training.</summary>
internal static class SimulationSeeds
{
    /// <summary>A seed from (seed, round, region) that does not depend on string.GetHashCode's per-process randomisation.</summary>
    public static int Client(int seed, int round, string region)
    {
        unchecked
        {
            int h = seed * 31 + round;
            foreach (char ch in region) h = h * 31 + ch;
            return h;
        }
    }
}
