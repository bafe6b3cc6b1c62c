using System.Runtime.InteropServices;

namespace Governance.Scanner.Native;

/// <summary>
/// <c>struct llama_model_params</c> of llama.cpp v0.5.0 (80 bytes on x86-64). Field names are the C names.
/// Start from <see cref="NativeApi.llama_model_default_params"/>; a zeroed struct is not the default.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LlamaModelParams
{
    /// <summary><c>ggml_backend_dev_t *</c>: NULL-terminated device list; NULL means all devices.</summary>
    public nint devices;

    /// <summary><c>const struct llama_model_tensor_buft_override *</c>, NULL-terminated.</summary>
    public nint tensor_buft_overrides;

    /// <summary>Layers to store in VRAM; negative means all.</summary>
    public int n_gpu_layers;

    public LlamaSplitMode split_mode;

    public LlamaLoadMode load_mode;

    public LlamaLazyMode lazy_mode;

    public int main_gpu;

    /// <summary><c>const float *</c>, llama_max_devices() entries.</summary>
    public float* tensor_split;

    /// <summary><c>llama_progress_callback</c>: progress in [0, 1]; returning false aborts the load.</summary>
    public delegate* unmanaged[Cdecl]<float, void*, CBool> progress_callback;

    public void* progress_callback_user_data;

    /// <summary><c>const struct llama_model_kv_override *</c></summary>
    public nint kv_overrides;

    public CBool vocab_only;
    public CBool check_tensors;
    public CBool use_extra_bufts;
    public CBool no_host;
    public CBool no_alloc;
    public CBool load_mtp;
}
