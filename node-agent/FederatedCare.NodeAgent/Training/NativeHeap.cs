using System.Runtime.InteropServices;

namespace FederatedCare.NodeAgent.Training;

/// <summary>
/// glibc's allocator, which libtorch's CPU tensors come from (64-byte-aligned blocks, posix_memalign). By default glibc
/// raises its mmap threshold to the size of every large block freed (up to 32 MiB), after which such blocks come from
/// the heap instead of mappings of their own; there, freed aligned blocks interleaved with small allocations are not
/// reused (glibc bug 14581, seen here on glibc 2.36), so the heap grows with every optimiser step that frees
/// model-sized temporaries (TorchSharp's Adam: about one model per step, 4 GB after 80 steps of a 16×1024 MLP). A
/// fixed threshold keeps every block of <see cref="MmapThresholdBytes"/> or more in its own mapping, returned to the
/// system when freed (mallopt(3), M_MMAP_THRESHOLD). The price: each such block is page-faulted afresh (a 4×1024 MLP's
/// 64-row training steps and its evaluation took 20–30 % more CPU time; small models allocate few such blocks).
/// </summary>
public static class NativeHeap
{
    /// <summary>Blocks from this size up are mapped on their own: 128 KiB, glibc's initial threshold.</summary>
    public const int MmapThresholdBytes = 128 * 1024;

    private const int MMmapThreshold = -3;

    /// <summary>
    /// Fixes glibc's mmap threshold at <see cref="MmapThresholdBytes"/> for this process. Returns false, changing
    /// nothing, where the C library is not glibc (another OS, musl).
    /// </summary>
    public static bool FixMmapThreshold()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return Mallopt(MMmapThreshold, MmapThresholdBytes) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // DllImport: blittable arguments need no marshalling code (LibraryImport would need unsafe code in this project).
    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int Mallopt(int param, int value);
}
