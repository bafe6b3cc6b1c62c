using System.Runtime.InteropServices;

namespace Governance.Scanner.Native;

/// <summary>
/// The llama.cpp/ggml v0.5.0 functions of the llama-bench-faithful loop: the threadpool attach and the build's
/// version (same logical library names as the rest of <see cref="NativeApi"/>, so the same resolver maps them).
/// </summary>
internal static unsafe partial class NativeApi
{
    [LibraryImport(Llama)]
    public static partial void llama_attach_threadpool(LlamaContextHandle ctx, nint threadpool, nint threadpool_batch);

    [LibraryImport(Llama)]
    public static partial void llama_detach_threadpool(LlamaContextHandle ctx);

    [LibraryImport(Ggml)]
    public static partial nint ggml_backend_dev_by_type(GgmlBackendDevType type);

    [LibraryImport(GgmlBase, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void* ggml_backend_reg_get_proc_address(nint reg, string name);

    /// <summary>Fills a <c>struct ggml_threadpool_params</c> with ggml's defaults (polling 50, normal priority, no affinity).</summary>
    [LibraryImport(GgmlBase)]
    public static partial void ggml_threadpool_params_init(GgmlThreadpoolParams* p, int n_threads);

    [LibraryImport(GgmlBase)]
    public static partial byte* ggml_version();

    [LibraryImport(GgmlBase)]
    public static partial byte* ggml_commit();
}

/// <summary>
/// <c>struct ggml_threadpool_params</c> (ggml.h v0.5.0): bool cpumask[GGML_MAX_N_THREADS = 512], int n_threads,
/// enum prio, uint32 poll, bool strict_cpu, bool paused: 512 + 4 + 4 + 4 + 1 + 1 = 526, padded to 528 on x86-64.
/// Only passed by pointer to ggml, which fills it.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GgmlThreadpoolParams
{
    public fixed byte cpumask[512];
    public int n_threads;
    public int prio;
    public uint poll;
    public byte strict_cpu;
    public byte paused;
}

/// <summary>
/// A CPU threadpool that lives across decodes, attached to a context as llama-bench attaches one. Without it ggml
/// creates and joins a throw-away pool on every graph compute (ggml_graph_compute with a NULL threadpool), which costs
/// microseconds per token that llama-bench does not pay: a single-token tg decode would be measured slower than it is.
/// The functions come from the CPU backend (a dlopen'ed variant) through ggml_backend_reg_get_proc_address.
/// </summary>
internal sealed unsafe class CpuThreadpool : SafeHandle
{
    private readonly delegate* unmanaged[Cdecl]<nint, void> _free;

    private CpuThreadpool(delegate* unmanaged[Cdecl]<nint, void> free) : base(0, ownsHandle: true) => _free = free;

    public override bool IsInvalid => handle == 0;

    /// <summary>A pool of <paramref name="threads"/>, or null when the CPU backend does not export the functions.</summary>
    public static CpuThreadpool? TryCreate(int threads)
    {
        var cpu = NativeApi.ggml_backend_dev_by_type(GgmlBackendDevType.Cpu);
        if (cpu == 0) return null;
        var reg = NativeApi.ggml_backend_dev_backend_reg(cpu);
        var create = (delegate* unmanaged[Cdecl]<GgmlThreadpoolParams*, nint>)NativeApi.ggml_backend_reg_get_proc_address(reg, "ggml_threadpool_new");
        var free = (delegate* unmanaged[Cdecl]<nint, void>)NativeApi.ggml_backend_reg_get_proc_address(reg, "ggml_threadpool_free");
        if (create is null || free is null) return null;

        GgmlThreadpoolParams parameters;
        NativeApi.ggml_threadpool_params_init(&parameters, threads);
        var pool = new CpuThreadpool(free);
        var created = create(&parameters);
        if (created == 0) return null;
        pool.SetHandle(created);
        return pool;
    }

    /// <summary>Attaches for generation and batches alike; the context must be detached (or freed) before this pool is.</summary>
    public void AttachTo(LlamaContextHandle context) => NativeApi.llama_attach_threadpool(context, handle, handle);

    public static void DetachFrom(LlamaContextHandle context) => NativeApi.llama_detach_threadpool(context);

    protected override bool ReleaseHandle()
    {
        _free(handle);
        return true;
    }
}
