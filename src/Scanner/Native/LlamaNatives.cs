using System.Runtime.InteropServices;

namespace Governance.Scanner.Native;

/// <summary>Which llama.cpp build a natives folder holds; the two npm packages name their files differently.</summary>
internal enum LlamaBuild
{
    Cpu,
    Cuda,
}

/// <summary>
/// Where the llama.cpp v0.5.0 shared libraries are, and which build. Natives are never copied into bin:
/// <c>bash eng/natives/fetch.sh</c> puts them in &lt;repo&gt;/natives, and this finds them at run time:
/// <list type="number">
/// <item><c>GOVERNANCE_LLAMA_NATIVES</c>: a folder holding the .so files (either build); nothing else is tried.</item>
/// <item>&lt;repo&gt;/natives/linux-x64-cuda when a GPU is present and libggml-cuda.so loads, else
/// &lt;repo&gt;/natives/linux-x64; &lt;repo&gt; is the first ancestor of <see cref="AppContext.BaseDirectory"/>
/// holding Governance.sln or .git.</item>
/// <item>natives/linux-x64(-cuda) beside the binaries, the same way.</item>
/// </list>
/// <c>GOVERNANCE_LLAMA_BACKEND=cpu</c> skips the CUDA build.
/// </summary>
internal sealed record LlamaNatives(string Directory, LlamaBuild Build, string Selection)
{
    public const string DirectoryVariable = "GOVERNANCE_LLAMA_NATIVES";
    public const string BackendVariable = "GOVERNANCE_LLAMA_BACKEND";
    public const string FetchCommand = "bash eng/natives/fetch.sh";

    public const string BaseLibrary = "libggml-base.so";
    public const string CudaBackendLibrary = "libggml-cuda.so";
    public const string CpuVariantPattern = "libggml-cpu-*.so";

    public string LlamaLibrary => Build == LlamaBuild.Cuda ? "libllama.cuda.v0.5.0.so" : "libllama.v0.5.0.so";
    public string GgmlLibrary => Build == LlamaBuild.Cuda ? "libggml.cuda.v0.5.0.so" : "libggml.v0.5.0.so";

    /// <summary>Full path of the file behind a logical <see cref="NativeApi"/> library name, or null for other names.</summary>
    public string? PathOf(string libraryName) => libraryName switch
    {
        NativeApi.Llama => Path.Combine(Directory, LlamaLibrary),
        NativeApi.Ggml => Path.Combine(Directory, GgmlLibrary),
        NativeApi.GgmlBase => Path.Combine(Directory, BaseLibrary),
        _ => null,
    };

    private static readonly Lazy<LlamaNatives> s_current = new(
        () => Locate(Environment.GetEnvironmentVariable, AppContext.BaseDirectory),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>This process's natives, located once; throws <see cref="LlamaNativesMissingException"/> (every time) when absent.</summary>
    public static LlamaNatives Current => s_current.Value;

    public static LlamaNatives Locate(Func<string, string?> environment, string baseDirectory)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            throw new LlamaNativesMissingException(
                $"llama.cpp natives are only wired for linux-x64; this is {RuntimeInformation.OSDescription} {RuntimeInformation.ProcessArchitecture}.");
        }

        var overridden = environment(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            var dir = Path.GetFullPath(overridden);
            foreach (var build in new[] { LlamaBuild.Cuda, LlamaBuild.Cpu })
            {
                var candidate = new LlamaNatives(dir, build, $"{DirectoryVariable}={dir}");
                if (candidate.MissingFiles().Count == 0)
                {
                    return candidate;
                }
            }
            var cpu = new LlamaNatives(dir, LlamaBuild.Cpu, "");
            throw Missing($"{DirectoryVariable} points to {dir}, which lacks {string.Join(", ", cpu.MissingFiles())}.");
        }

        var root = FindNativesRoot(baseDirectory);
        var cpuBuild = new LlamaNatives(Path.Combine(root, "linux-x64"), LlamaBuild.Cpu, "");
        var cudaBuild = new LlamaNatives(Path.Combine(root, "linux-x64-cuda"), LlamaBuild.Cuda, "");

        string whyNotCuda;
        if (string.Equals(environment(BackendVariable), "cpu", StringComparison.OrdinalIgnoreCase))
        {
            whyNotCuda = $"{BackendVariable}=cpu";
        }
        else if (cudaBuild.MissingFiles().Count > 0)
        {
            whyNotCuda = "no CUDA build fetched";
        }
        else if (!NvidiaDriverPresent())
        {
            whyNotCuda = "no NVIDIA driver (/proc/driver/nvidia) on this machine";
        }
        else if (TryLoadCudaBackend(cudaBuild.Directory) is { } loadError)
        {
            whyNotCuda = $"{CudaBackendLibrary} does not load: {loadError}";
        }
        else
        {
            return cudaBuild with { Selection = $"CUDA build in {cudaBuild.Directory}: GPU driver present and {CudaBackendLibrary} loads" };
        }

        var missing = cpuBuild.MissingFiles();
        if (missing.Count > 0)
        {
            throw Missing($"Looked in {cpuBuild.Directory} (found from {baseDirectory}); missing {string.Join(", ", missing)}.");
        }
        return cpuBuild with { Selection = $"CPU build in {cpuBuild.Directory} ({whyNotCuda})" };
    }

    /// <summary>The files this build needs that its folder lacks.</summary>
    public IReadOnlyList<string> MissingFiles()
    {
        var missing = new List<string>();
        foreach (var file in new[] { LlamaLibrary, GgmlLibrary, BaseLibrary })
        {
            if (!File.Exists(Path.Combine(Directory, file)))
            {
                missing.Add(file);
            }
        }
        // Without a CPU variant ggml_backend_load_all_from_path registers nothing and every load fails
        // with "no backends are loaded".
        if (!System.IO.Directory.Exists(Directory) || System.IO.Directory.GetFiles(Directory, CpuVariantPattern).Length == 0)
        {
            missing.Add(CpuVariantPattern);
        }
        if (Build == LlamaBuild.Cuda && !File.Exists(Path.Combine(Directory, CudaBackendLibrary)))
        {
            missing.Add(CudaBackendLibrary);
        }
        return missing;
    }

    private static string FindNativesRoot(string baseDirectory)
    {
        for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Governance.sln")) || System.IO.Directory.Exists(Path.Combine(dir.FullName, ".git")))
            {
                return Path.Combine(dir.FullName, "natives");
            }
        }
        return Path.Combine(baseDirectory, "natives");
    }

    private static bool NvidiaDriverPresent() =>
        System.IO.Directory.Exists("/proc/driver/nvidia") || File.Exists("/dev/nvidiactl");

    // Loading it pulls in libcudart.so.13, libcublas.so.13 and libcuda.so.1; if any is absent the
    // CUDA build is no use here. The library stays loaded; ggml's own dlopen gets the same handle.
    private static string? TryLoadCudaBackend(string directory)
    {
        try
        {
            NativeLibrary.Load(Path.Combine(directory, CudaBackendLibrary));
            return null;
        }
        catch (DllNotFoundException e)
        {
            return e.Message;
        }
        catch (BadImageFormatException e)
        {
            return e.Message;
        }
    }

    private static LlamaNativesMissingException Missing(string detail) => new(
        $"llama.cpp v0.5.0 natives not found. {detail} " +
        $"Get them with `{FetchCommand}` from the repository root (needs npm; add --cuda for the CUDA build), " +
        $"or set {DirectoryVariable} to a folder holding libllama.v0.5.0.so, libggml.v0.5.0.so, {BaseLibrary} and {CpuVariantPattern}.");
}
