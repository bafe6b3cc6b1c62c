using Governance.Attestations;
using Governance.Scanner.Native;

namespace Governance.Scanner.Measurement;

/// <summary>
/// The environment a measurement runs in, as the predicate and the Api's lease request spell it: backend, device,
/// driver and CUDA (NVML), CPU, threads, llama.cpp build, scanner version. One description, so what the scanner reports
/// when it asks for work is exactly what its attestations will say.
/// </summary>
internal static class EnvironmentProbe
{
    /// <summary>This host, now: loads the natives (a scanner without them cannot scan anyway) and asks NVML where there is a GPU.</summary>
    public static FootprintEnvironment Current(int? threads = null)
    {
        var runtime = LlamaRuntime.Instance;
        var gpuDevice = GpuDevice(runtime);
        NvmlGpu? gpu = null;
        if (gpuDevice is not null)
        {
            using var nvml = Nvml.TryOpen(out _);
            gpu = nvml?.Query(gpuDevice.PciBusId, DeviceIndex(gpuDevice.Name));
        }
        return Describe(runtime, gpuDevice, gpu, threads ?? HostProbe.PhysicalCores());
    }

    /// <summary>The GPU llama.cpp runs on, or null on the CPU backend.</summary>
    public static LlamaDevice? GpuDevice(LlamaRuntime runtime) =>
        runtime.Backend == LlamaBackend.Cuda ? runtime.Devices().FirstOrDefault(d => d.Type == GgmlBackendDevType.Gpu) : null;

    // ggml names CUDA devices "CUDA0", "CUDA1", ...
    public static int DeviceIndex(string name) =>
        int.TryParse(new string(name.SkipWhile(c => !char.IsDigit(c)).ToArray()), out var i) ? i : 0;

    public static FootprintEnvironment Describe(LlamaRuntime runtime, LlamaDevice? gpuDevice, NvmlGpu? gpu, int threads) => new()
    {
        Backend = runtime.Backend == LlamaBackend.Cuda ? "cuda" : "cpu",
        Device = gpu?.Name ?? gpuDevice?.Description ?? runtime.Devices().FirstOrDefault(d => d.Type == GgmlBackendDevType.Cpu)?.Description,
        Driver = gpu?.DriverVersion,
        CudaVersion = gpu?.CudaVersion,
        Cpu = HostProbe.CpuModel(),
        Threads = threads,
        LlamaCppBuild = Measurer.LlamaCppBuild(),
        ScannerVersion = Measurer.ScannerVersion,
    };
}
