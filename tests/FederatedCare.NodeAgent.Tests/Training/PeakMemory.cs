namespace FederatedCare.NodeAgent.Tests.Training;

/// <summary>The process's resident memory from /proc (Linux): the current size, and the peak since the last reset.</summary>
internal static class PeakMemory
{
    // Writing 5 to clear_refs resets the peak (VmHWM) to the current resident size (Linux ≥ 4.0).
    public static long ResetAndReadCurrent()
    {
        File.WriteAllText("/proc/self/clear_refs", "5");
        return Read("VmRSS:");
    }

    public static long Peak() => Read("VmHWM:");

    private static long Read(string field) =>
        long.Parse(File.ReadLines("/proc/self/status").Single(l => l.StartsWith(field, StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
}
