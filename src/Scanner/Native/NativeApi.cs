using System.Runtime.InteropServices;

namespace Governance.Scanner.Native;

/// <summary>
/// The llama.h functions the scanner calls, bound with source-generated <c>LibraryImport</c> against
/// llama.cpp v0.5.0. Only the names are logical (<see cref="Llama"/>, <see cref="Ggml"/>,
/// <see cref="GgmlBase"/>); <see cref="LlamaNativeResolver"/> maps them to the files of the chosen build.
/// Functions returning <c>const char *</c> return <c>byte*</c>: the string belongs to llama.cpp and a
/// generated string marshaller would free it.
/// </summary>
internal static unsafe partial class NativeApi
{
    public const string Llama = "llama";
    public const string Ggml = "ggml";
    public const string GgmlBase = "ggml-base";

    // Registers the resolver before the first call of any function below, whoever makes it.
    static NativeApi() => LlamaNativeResolver.Register();

    // ---- backend ----

    [LibraryImport(Llama)]
    public static partial void llama_backend_init();

    /// <summary>Sets llama's and ggml's logger (the same callback); NULL restores stderr.</summary>
    [LibraryImport(Llama)]
    public static partial void llama_log_set(delegate* unmanaged[Cdecl]<GgmlLogLevel, byte*, void*, void> log_callback, void* user_data);

    [LibraryImport(Llama)]
    public static partial byte* llama_print_system_info();

    [LibraryImport(Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_supports_gpu_offload();

    // ---- model ----

    [LibraryImport(Llama)]
    public static partial LlamaModelParams llama_model_default_params();

    /// <summary>NULL on failure or cancellation; the reason only goes to the log.</summary>
    [LibraryImport(Llama, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint llama_model_load_from_file(string path_model, LlamaModelParams @params);

    [LibraryImport(Llama)]
    public static partial void llama_model_free(nint model);

    /// <summary>Returns the string length, or -1 (and an empty buf) when the key is missing. Arrays are not supported.</summary>
    [LibraryImport(Llama, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int llama_model_meta_val_str(LlamaModelHandle model, string key, byte* buf, nuint buf_size);

    [LibraryImport(Llama)]
    public static partial int llama_model_meta_count(LlamaModelHandle model);

    [LibraryImport(Llama)]
    public static partial int llama_model_meta_key_by_index(LlamaModelHandle model, int i, byte* buf, nuint buf_size);

    [LibraryImport(Llama)]
    public static partial int llama_model_meta_val_str_by_index(LlamaModelHandle model, int i, byte* buf, nuint buf_size);

    [LibraryImport(Llama)]
    public static partial int llama_model_desc(LlamaModelHandle model, byte* buf, nuint buf_size);

    /// <summary>Total bytes of all tensors in the model.</summary>
    [LibraryImport(Llama)]
    public static partial ulong llama_model_size(LlamaModelHandle model);

    [LibraryImport(Llama)]
    public static partial ulong llama_model_n_params(LlamaModelHandle model);

    [LibraryImport(Llama)]
    public static partial int llama_model_n_ctx_train(LlamaModelHandle model);

    [LibraryImport(Llama)]
    public static partial int llama_model_n_embd(LlamaModelHandle model);

    [LibraryImport(Llama)]
    public static partial int llama_model_n_layer(LlamaModelHandle model);

    /// <summary>
    /// Devices the model was placed on. Declared in src/llama-ext.h, a staging header that is not
    /// extern "C", so the export is C++-mangled; the signature (const llama_model *) -> int32_t is
    /// plain C ABI, and the mangled name is what libllama.v0.5.0.so exports (nm -D).
    /// </summary>
    [LibraryImport(Llama, EntryPoint = "_Z21llama_model_n_devicesPK11llama_model")]
    public static partial int llama_model_n_devices(LlamaModelHandle model);

    /// <summary>ggml_backend_dev_t for index i of <see cref="llama_model_n_devices"/>; mangled like it.</summary>
    [LibraryImport(Llama, EntryPoint = "_Z22llama_model_get_devicePK11llama_modeli")]
    public static partial nint llama_model_get_device(LlamaModelHandle model, int i);

    // ---- vocab (a const llama_vocab * owned by its model) ----

    [LibraryImport(Llama)]
    public static partial nint llama_model_get_vocab(LlamaModelHandle model);

    [LibraryImport(Llama)]
    public static partial int llama_vocab_n_tokens(nint vocab);

    /// <summary>Beginning-of-sentence token, or LLAMA_TOKEN_NULL (-1).</summary>
    [LibraryImport(Llama)]
    public static partial int llama_vocab_bos(nint vocab);

    [LibraryImport(Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_vocab_get_add_bos(nint vocab);

    // ---- context ----

    [LibraryImport(Llama)]
    public static partial LlamaContextParams llama_context_default_params();

    [LibraryImport(Llama)]
    public static partial nint llama_init_from_model(LlamaModelHandle model, LlamaContextParams @params);

    [LibraryImport(Llama)]
    public static partial void llama_free(nint ctx);

    [LibraryImport(Llama)]
    public static partial uint llama_n_ctx(LlamaContextHandle ctx);

    [LibraryImport(Llama)]
    public static partial uint llama_n_batch(LlamaContextHandle ctx);

    [LibraryImport(Llama)]
    public static partial uint llama_n_ubatch(LlamaContextHandle ctx);

    [LibraryImport(Llama)]
    public static partial void llama_set_n_threads(LlamaContextHandle ctx, int n_threads, int n_threads_batch);

    /// <summary>llama_memory_t, owned by the context.</summary>
    [LibraryImport(Llama)]
    public static partial nint llama_get_memory(LlamaContextHandle ctx);

    /// <summary>data = true also clears the buffers, not only the metadata.</summary>
    [LibraryImport(Llama)]
    public static partial void llama_memory_clear(nint mem, [MarshalAs(UnmanagedType.U1)] bool data);

    // ---- batch and decode ----

    /// <summary>A batch over the caller's tokens, sequence 0, positions tracked by llama_decode. Nothing to free.</summary>
    [LibraryImport(Llama)]
    public static partial LlamaNativeBatch llama_batch_get_one(int* tokens, int n_tokens);

    /// <summary>Heap batch for n_tokens (or n_tokens * embd floats when embd != 0); free with llama_batch_free.</summary>
    [LibraryImport(Llama)]
    public static partial LlamaNativeBatch llama_batch_init(int n_tokens, int embd, int n_seq_max);

    [LibraryImport(Llama)]
    public static partial void llama_batch_free(LlamaNativeBatch batch);

    /// <summary>0 ok; 1 no KV slot; 2 aborted; -1 invalid batch; &lt; -1 fatal.</summary>
    [LibraryImport(Llama)]
    public static partial int llama_decode(LlamaContextHandle ctx, LlamaNativeBatch batch);

    /// <summary>Waits for the computation llama_decode queued (decode can return before a GPU finishes).</summary>
    [LibraryImport(Llama)]
    public static partial void llama_synchronize(LlamaContextHandle ctx);

    // ---- perf ----

    [LibraryImport(Llama)]
    public static partial LlamaPerfContextData llama_perf_context(LlamaContextHandle ctx);

    [LibraryImport(Llama)]
    public static partial void llama_perf_context_reset(LlamaContextHandle ctx);

    [LibraryImport(Llama)]
    public static partial LlamaSamplerChainParams llama_sampler_chain_default_params();

    // ---- ggml backend registry (libggml) ----

    /// <summary>Loads every libggml-*.so backend in dir_path (CPU: the best libggml-cpu-*.so variant for this CPU).</summary>
    [LibraryImport(Ggml, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void ggml_backend_load_all_from_path(string dir_path);

    [LibraryImport(Ggml)]
    public static partial nuint ggml_backend_reg_count();

    [LibraryImport(Ggml)]
    public static partial nint ggml_backend_reg_get(nuint index);

    [LibraryImport(Ggml)]
    public static partial nuint ggml_backend_dev_count();

    [LibraryImport(Ggml)]
    public static partial nint ggml_backend_dev_get(nuint index);

    // ---- ggml backend devices (libggml-base) ----

    [LibraryImport(GgmlBase)]
    public static partial byte* ggml_backend_reg_name(nint reg);

    [LibraryImport(GgmlBase)]
    public static partial GgmlBackendDevType ggml_backend_dev_type(nint device);

    [LibraryImport(GgmlBase)]
    public static partial void ggml_backend_dev_get_props(nint device, GgmlBackendDevProps* props);

    [LibraryImport(GgmlBase)]
    public static partial nint ggml_backend_dev_backend_reg(nint device);
}
