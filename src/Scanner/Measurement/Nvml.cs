using System.Runtime.InteropServices;
using System.Text;

namespace Governance.Scanner.Measurement;

/// <summary>What NVML says about one GPU at one moment.</summary>
internal sealed record NvmlGpu(
    string Name,
    string? DriverVersion,
    string? CudaVersion,
    ulong MemoryTotalBytes,
    ulong MemoryUsedBytes,
    double? BandwidthBytesPerSecond);

/// <summary>
/// NVIDIA's management library, <c>libnvidia-ml.so.1</c>, which ships with the driver (not with CUDA), bound at run
/// time: on a host without an NVIDIA driver <see cref="TryOpen"/> returns null and the scan goes on without it.
/// Functions are looked up by name so a driver missing one of them degrades to a null field, never a crash.
/// </summary>
internal sealed unsafe class Nvml : IDisposable
{
    private const string Library = "libnvidia-ml.so.1";
    private const int Success = 0;
    private const int ClockMem = 2; // nvmlClockType_t NVML_CLOCK_MEM

    [StructLayout(LayoutKind.Sequential)]
    private struct Memory
    {
        public ulong total;
        public ulong free;
        public ulong used;
    }

    private readonly nint _library;
    private readonly delegate* unmanaged[Cdecl]<int> _shutdown;
    private bool _disposed;

    private Nvml(nint library, delegate* unmanaged[Cdecl]<int> shutdown)
    {
        _library = library;
        _shutdown = shutdown;
    }

    /// <summary>NVML initialised, or null when the library or a working driver is absent (<paramref name="why"/> says which).</summary>
    public static Nvml? TryOpen(out string? why)
    {
        why = null;
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad(Library, out var library))
        {
            why = $"{Library} is not installed (no NVIDIA driver)";
            return null;
        }
        if (!NativeLibrary.TryGetExport(library, "nvmlInit_v2", out var init) || !NativeLibrary.TryGetExport(library, "nvmlShutdown", out var shutdown))
        {
            NativeLibrary.Free(library);
            why = $"{Library} lacks nvmlInit_v2";
            return null;
        }
        var result = ((delegate* unmanaged[Cdecl]<int>)init)();
        if (result != Success)
        {
            NativeLibrary.Free(library);
            why = $"nvmlInit_v2 returned {result}";
            return null;
        }
        return new Nvml(library, (delegate* unmanaged[Cdecl]<int>)shutdown);
    }

    /// <summary>
    /// The GPU with this PCI bus id (what ggml reports for a CUDA device; CUDA's and NVML's index orders can differ),
    /// else the one at <paramref name="index"/>. Null when NVML cannot find it.
    /// </summary>
    public NvmlGpu? Query(string? pciBusId, int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        nint device = 0;
        var found = false;
        if (!string.IsNullOrEmpty(pciBusId) && Export("nvmlDeviceGetHandleByPciBusId_v2") is var byPci && byPci != 0)
        {
            var bytes = Encoding.ASCII.GetBytes(pciBusId + "\0");
            fixed (byte* p = bytes)
            {
                found = ((delegate* unmanaged[Cdecl]<byte*, nint*, int>)byPci)(p, &device) == Success;
            }
        }
        if (!found && Export("nvmlDeviceGetHandleByIndex_v2") is var byIndex && byIndex != 0)
        {
            found = ((delegate* unmanaged[Cdecl]<uint, nint*, int>)byIndex)((uint)index, &device) == Success;
        }
        if (!found) return null;
        var handle = device; // a lambda cannot capture a local whose address was taken

        var name = String("nvmlDeviceGetName", 96, (f, buf, len) => ((delegate* unmanaged[Cdecl]<nint, byte*, uint, int>)f)(handle, buf, len)) ?? "NVIDIA GPU";
        var driver = String("nvmlSystemGetDriverVersion", 80, (f, buf, len) => ((delegate* unmanaged[Cdecl]<byte*, uint, int>)f)(buf, len));

        string? cuda = null;
        if (Export("nvmlSystemGetCudaDriverVersion") is var cudaFn && cudaFn != 0)
        {
            int version;
            if (((delegate* unmanaged[Cdecl]<int*, int>)cudaFn)(&version) == Success)
                cuda = $"{version / 1000}.{version % 1000 / 10}"; // 13000 -> "13.0"
        }

        Memory memory = default;
        if (Export("nvmlDeviceGetMemoryInfo") is var memFn && memFn != 0)
            ((delegate* unmanaged[Cdecl]<nint, Memory*, int>)memFn)(device, &memory);

        return new NvmlGpu(name, driver, cuda, memory.total, memory.used, Bandwidth(device));
    }

    /// <summary>Used bytes on the device now: all processes, as nvidia-smi shows.</summary>
    public ulong? UsedBytes(string? pciBusId, int index) => Query(pciBusId, index)?.MemoryUsedBytes;

    // Peak DRAM bandwidth = max memory clock × bus width × 2: NVML's memory clock is half the data rate for both
    // GDDR and HBM (H100 SXM: 2619 MHz × 5120 bit / 8 × 2 = 3.35 TB/s, the datasheet figure).
    private double? Bandwidth(nint device)
    {
        var clockFn = Export("nvmlDeviceGetMaxClockInfo");
        var widthFn = Export("nvmlDeviceGetMemoryBusWidth");
        if (clockFn == 0 || widthFn == 0) return null;
        uint mhz, bits;
        if (((delegate* unmanaged[Cdecl]<nint, int, uint*, int>)clockFn)(device, ClockMem, &mhz) != Success) return null;
        if (((delegate* unmanaged[Cdecl]<nint, uint*, int>)widthFn)(device, &bits) != Success) return null;
        if (mhz == 0 || bits == 0) return null;
        return mhz * 1e6 * (bits / 8.0) * 2;
    }

    private delegate int StringCall(nint function, byte* buffer, uint length);

    private string? String(string export, int size, StringCall call)
    {
        var function = Export(export);
        if (function == 0) return null;
        var buffer = stackalloc byte[size];
        if (call(function, buffer, (uint)size) != Success) return null;
        return Marshal.PtrToStringUTF8((nint)buffer);
    }

    private nint Export(string name) => NativeLibrary.TryGetExport(_library, name, out var address) ? address : 0;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _shutdown();
        // The library stays mapped: NVML may keep threads of its own, and unloading buys nothing.
    }
}
