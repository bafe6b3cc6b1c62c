using System.Runtime.InteropServices;

namespace Governance.Scanner.Native;

/// <summary>
/// Owns a <c>llama_context *</c>; releasing it calls llama_free and then lets go of the model, which it
/// holds a reference on from creation so the model cannot be freed under it.
/// </summary>
internal sealed class LlamaContextHandle : SafeHandle
{
    private LlamaContextHandle(LlamaModelHandle model) : base(0, ownsHandle: true) => Model = model;

    public LlamaModelHandle Model { get; }

    public override bool IsInvalid => handle == 0;

    /// <summary>The native object has been freed (Dispose only closes the handle while others hold references).</summary>
    internal bool Freed { get; private set; }

    /// <summary>llama_init_from_model; the model gains a reference that this context's release drops.</summary>
    internal static LlamaContextHandle Create(LlamaModelHandle model, LlamaContextParams parameters)
    {
        var added = false;
        model.DangerousAddRef(ref added);
        try
        {
            LlamaLog.ClearErrors();
            var context = NativeApi.llama_init_from_model(model, parameters);
            if (context == 0)
            {
                throw new LlamaException($"llama_init_from_model returned NULL: {LlamaLog.Errors ?? "no reason logged"}");
            }
            var handle = new LlamaContextHandle(model);
            handle.SetHandle(context);
            added = false; // the context owns the reference now
            return handle;
        }
        finally
        {
            if (added)
            {
                model.DangerousRelease();
            }
        }
    }

    protected override bool ReleaseHandle()
    {
        NativeApi.llama_free(handle);
        Model.DangerousRelease();
        Freed = true;
        return true;
    }

    /// <summary>The context length llama.cpp actually allocated (may differ from the one asked for).</summary>
    public uint ContextLength => NativeApi.llama_n_ctx(this);

    public uint BatchSize => NativeApi.llama_n_batch(this);

    public uint UBatchSize => NativeApi.llama_n_ubatch(this);

    public void SetThreads(int threads, int threadsBatch) => NativeApi.llama_set_n_threads(this, threads, threadsBatch);

    /// <summary>Waits until the work llama_decode queued has finished (on a GPU decode returns early).</summary>
    public void Synchronize() => NativeApi.llama_synchronize(this);

    /// <summary>Empties the KV cache/memory, as llama-bench does before each repetition; data also zeroes the buffers.</summary>
    public void ClearMemory(bool data = false)
    {
        var added = false;
        DangerousAddRef(ref added);
        try
        {
            NativeApi.llama_memory_clear(NativeApi.llama_get_memory(this), data);
        }
        finally
        {
            if (added)
            {
                DangerousRelease();
            }
        }
    }

    /// <summary>llama.cpp's own timings; zero unless the context was made with <see cref="ContextOptions.MeasurePerf"/>.</summary>
    public LlamaPerfContextData Perf => NativeApi.llama_perf_context(this);

    public void ResetPerf() => NativeApi.llama_perf_context_reset(this);
}
