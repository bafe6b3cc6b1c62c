using System.Runtime.InteropServices;

namespace Governance.Scanner.Native;

/// <summary>Which ggml backend does the work: the CUDA build with a registered GPU device, else the CPU.</summary>
internal enum LlamaBackend
{
    Cpu,
    Cuda,
}

/// <summary>
/// The process's llama.cpp: locates the natives, loads the ggml backends from their folder
/// (ggml_backend_load_all_from_path; without it every model load fails with "no backends are loaded"),
/// calls llama_backend_init, and routes the log to <see cref="LlamaLog"/>. Created once, on first use,
/// thread-safely; a process can hold one build only, so there is no way to unload.
/// </summary>
internal sealed unsafe class LlamaRuntime
{
    private static readonly Lazy<LlamaRuntime> s_instance = new(() => new LlamaRuntime(LlamaNatives.Current), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The runtime; throws <see cref="LlamaNativesMissingException"/> (with the fetch command) when the natives are absent.</summary>
    public static LlamaRuntime Instance => s_instance.Value;

    private LlamaRuntime(LlamaNatives natives)
    {
        Natives = natives;
        LlamaNativeResolver.Register();
        LlamaLog.Install();
        NativeApi.ggml_backend_load_all_from_path(natives.Directory);
        NativeApi.llama_backend_init();

        var registries = new List<string>();
        for (nuint i = 0, n = NativeApi.ggml_backend_reg_count(); i < n; i++)
        {
            registries.Add(Marshal.PtrToStringUTF8((nint)NativeApi.ggml_backend_reg_name(NativeApi.ggml_backend_reg_get(i))) ?? "");
        }
        LoadedBackends = registries;
        if (registries.Count == 0)
        {
            throw new LlamaException($"ggml_backend_load_all_from_path({natives.Directory}) registered no backend: {LlamaLog.Errors ?? "no reason logged"}");
        }
        Backend = Devices().Any(d => d.Type == GgmlBackendDevType.Gpu && d.Backend == "CUDA") ? LlamaBackend.Cuda : LlamaBackend.Cpu;
        SystemInfo = Marshal.PtrToStringUTF8((nint)NativeApi.llama_print_system_info()) ?? "";
        SupportsGpuOffload = NativeApi.llama_supports_gpu_offload();
        GgmlVersion = Marshal.PtrToStringUTF8((nint)NativeApi.ggml_version());
        GgmlCommit = Marshal.PtrToStringUTF8((nint)NativeApi.ggml_commit());
    }

    /// <summary>ggml_version(), e.g. "0.25.1": what the loaded library says it is.</summary>
    public string? GgmlVersion { get; }

    /// <summary>ggml_commit(), e.g. "0ad4a86".</summary>
    public string? GgmlCommit { get; }

    public LlamaNatives Natives { get; }

    /// <summary>The backend that runs models: CUDA only when the CUDA build registered a GPU device.</summary>
    public LlamaBackend Backend { get; }

    /// <summary>Names of the registered ggml backends, e.g. ["CPU"] or ["CUDA", "CPU"].</summary>
    public IReadOnlyList<string> LoadedBackends { get; }

    /// <summary>llama_print_system_info: the CPU features the chosen libggml-cpu variant uses.</summary>
    public string SystemInfo { get; }

    public bool SupportsGpuOffload { get; }

    /// <summary>Every ggml device with its free/total memory now (call again for fresh numbers).</summary>
    public IReadOnlyList<LlamaDevice> Devices()
    {
        var devices = new List<LlamaDevice>();
        for (nuint i = 0, n = NativeApi.ggml_backend_dev_count(); i < n; i++)
        {
            devices.Add(LlamaDevice.Query(NativeApi.ggml_backend_dev_get(i)));
        }
        return devices;
    }

    public LlamaModelHandle LoadModel(string path, LoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new LoadOptions();
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("No GGUF file at this path.", path);
        }

        var parameters = NativeApi.llama_model_default_params();
        parameters.vocab_only = options.VocabOnly;
        if (options.GpuLayers is { } layers)
        {
            parameters.n_gpu_layers = layers;
        }
        if (options.UseMmap is { } mmap)
        {
            parameters.load_mode = mmap ? LlamaLoadMode.Mmap : LlamaLoadMode.None;
        }

        var progress = options.Progress is null ? null : new ProgressState(options.Progress);
        var state = progress is null ? default : GCHandle.Alloc(progress);
        try
        {
            if (progress is not null)
            {
                parameters.progress_callback = &OnProgress;
                parameters.progress_callback_user_data = (void*)GCHandle.ToIntPtr(state);
            }
            LlamaLog.ClearErrors();
            var model = NativeApi.llama_model_load_from_file(path, parameters);
            if (model != 0)
            {
                return LlamaModelHandle.FromOwned(model);
            }
            if (progress?.Failure is { } failure)
            {
                throw new LlamaException($"The progress callback threw while loading '{path}'; the load was cancelled.", inner: failure);
            }
            if (progress?.Cancelled == true)
            {
                throw new OperationCanceledException($"Loading '{path}' was cancelled by the progress callback.");
            }
            throw new LlamaModelLoadException(path, LlamaLog.Errors);
        }
        finally
        {
            if (state.IsAllocated)
            {
                state.Free();
            }
        }
    }

    public LlamaContextHandle CreateContext(LlamaModelHandle model, ContextOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new ContextOptions();
        var parameters = NativeApi.llama_context_default_params();
        if (options.ContextLength is { } n_ctx)
        {
            parameters.n_ctx = n_ctx;
        }
        if (options.Batch is { } n_batch)
        {
            parameters.n_batch = n_batch;
        }
        if (options.UBatch is { } n_ubatch)
        {
            parameters.n_ubatch = n_ubatch;
        }
        if (options.Threads is { } threads)
        {
            parameters.n_threads = threads;
            parameters.n_threads_batch = threads;
        }
        if (options.FlashAttention is { } flash)
        {
            parameters.flash_attn_type = flash ? LlamaFlashAttnType.Enabled : LlamaFlashAttnType.Disabled;
        }
        parameters.no_perf = !options.MeasurePerf;
        return LlamaContextHandle.Create(model, parameters);
    }

    /// <summary>
    /// Decodes <paramref name="tokens"/> as the next positions of sequence 0 (llama_batch_get_one, as
    /// llama-bench does). Returns once queued; call <see cref="LlamaContextHandle.Synchronize"/> to wait.
    /// </summary>
    public void Decode(LlamaContextHandle context, ReadOnlySpan<int> tokens)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("Nothing to decode.", nameof(tokens));
        }
        ThrowIfOverBatch(context, tokens.Length);
        int result;
        LlamaLog.ClearErrors();
        // llama_batch_get_one takes a non-const pointer but llama_decode does not write through it.
        fixed (int* p = tokens)
        {
            result = NativeApi.llama_decode(context, NativeApi.llama_batch_get_one(p, tokens.Length));
        }
        if (result != 0)
        {
            throw new LlamaDecodeException(result, tokens.Length, LlamaLog.Errors);
        }
    }

    /// <summary>Decodes a batch built with explicit positions and sequences.</summary>
    public void Decode(LlamaContextHandle context, LlamaBatch batch)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(batch);
        var added = false;
        batch.DangerousAddRef(ref added);
        try
        {
            var native = *batch.Native;
            ThrowIfOverBatch(context, native.n_tokens);
            LlamaLog.ClearErrors();
            var result = NativeApi.llama_decode(context, native);
            if (result != 0)
            {
                throw new LlamaDecodeException(result, native.n_tokens, LlamaLog.Errors);
            }
        }
        finally
        {
            if (added)
            {
                batch.DangerousRelease();
            }
        }
    }

    // v0.5.0 checks this with GGML_ASSERT, which aborts the process instead of returning an error.
    private static void ThrowIfOverBatch(LlamaContextHandle context, int tokenCount)
    {
        var batchSize = context.BatchSize;
        if ((uint)tokenCount > batchSize)
        {
            throw new ArgumentException(
                $"{tokenCount} tokens exceed the context's batch size of {batchSize}; split them into several decodes.", "tokens");
        }
    }

    private sealed class ProgressState(Func<float, bool> callback)
    {
        public Func<float, bool> Callback { get; } = callback;
        public bool Cancelled { get; set; }
        public Exception? Failure { get; set; }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static CBool OnProgress(float progress, void* userData)
    {
        var state = (ProgressState)GCHandle.FromIntPtr((nint)userData).Target!;
        try
        {
            var keepGoing = state.Callback(progress);
            state.Cancelled |= !keepGoing;
            return keepGoing;
        }
        catch (Exception e)
        {
            // Exceptions cannot unwind through llama.cpp; stop the load and rethrow once it returns.
            state.Failure = e;
            return false;
        }
    }
}
