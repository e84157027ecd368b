using FederatedCare.NodeAgent.Options;
using Microsoft.Extensions.Options;
using TorchSharp;

namespace FederatedCare.NodeAgent.Training;

/// <summary>
/// Process-wide libtorch settings: the intra-op thread count and glibc's mmap threshold (<see cref="NativeHeap"/>), both
/// set once, before any tensor work (libtorch threads pick the count up lazily on first use), and the device tensors
/// are placed on.
/// </summary>
public sealed class TorchRuntime
{
    private static readonly Lock InitLock = new();
    private static int? _threads;

    /// <summary>Applies <see cref="NodeAgentOptions.TorchThreads"/> and resolves <see cref="NodeAgentOptions.Device"/>.</summary>
    /// <exception cref="InvalidOperationException">Device <c>cuda</c> was requested but CUDA is not available.</exception>
    public TorchRuntime(IOptions<NodeAgentOptions> options) : this(options.Value.TorchThreads, options.Value.Device) { }

    /// <summary>Applies a thread count and resolves a device name (<c>auto</c>, <c>cpu</c>, <c>cuda</c>).</summary>
    /// <exception cref="InvalidOperationException">Device <c>cuda</c> was requested but CUDA is not available.</exception>
    public TorchRuntime(int threads, string device)
    {
        SetThreads(threads);
        Device = Resolve(device);
        DeviceName = Device.type == DeviceType.CUDA ? "cuda" : "cpu";
    }

    /// <summary>Where models and data live during training.</summary>
    public torch.Device Device { get; }

    /// <summary><c>cpu</c> or <c>cuda</c>, as reported to the coordinator.</summary>
    public string DeviceName { get; }

    /// <summary>
    /// Sets libtorch's intra-op threads (and fixes the native heap's mmap threshold) once per process; later calls with
    /// another value are ignored.
    /// </summary>
    public static void SetThreads(int threads)
    {
        lock (InitLock)
        {
            if (_threads is not null) return;
            NativeHeap.FixMmapThreshold();
            torch.set_num_threads(threads);
            _threads = threads;
        }
    }

    private static torch.Device Resolve(string device) => device.ToLowerInvariant() switch
    {
        "cpu" => torch.CPU,
        "cuda" when torch.cuda.is_available() => torch.CUDA,
        "cuda" => throw new InvalidOperationException("NodeAgent:Device is 'cuda' but CUDA is not available (is this the TorchSharp-cpu build? use -p:TorchBackend=cuda)."),
        _ => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
    };
}
