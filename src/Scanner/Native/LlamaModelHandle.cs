using System.Runtime.InteropServices;

namespace Governance.Scanner.Native;

/// <summary>
/// Owns a <c>llama_model *</c>; releasing it calls llama_model_free. Contexts made from it hold a reference
/// (<see cref="SafeHandle.DangerousAddRef"/>), so disposing the model while a context lives only marks it
/// closed; the native free happens when the last context is freed.
/// </summary>
internal sealed unsafe class LlamaModelHandle : SafeHandle
{
    private LlamaModelHandle() : base(0, ownsHandle: true)
    {
    }

    internal static LlamaModelHandle FromOwned(nint model)
    {
        var handle = new LlamaModelHandle();
        handle.SetHandle(model);
        return handle;
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>The native object has been freed (Dispose only closes the handle while others hold references).</summary>
    internal bool Freed { get; private set; }

    protected override bool ReleaseHandle()
    {
        NativeApi.llama_model_free(handle);
        Freed = true;
        return true;
    }

    public int MetadataCount => NativeApi.llama_model_meta_count(this);

    public string GetMetadataKey(int index) =>
        ReadString((buf, size) => NativeApi.llama_model_meta_key_by_index(this, index, buf, size))
        ?? throw new ArgumentOutOfRangeException(nameof(index), index, $"The model has {MetadataCount} metadata entries.");

    /// <summary>The value at <paramref name="index"/> as text. llama.cpp leaves array-valued keys out of this table altogether.</summary>
    public string GetMetadataValue(int index) =>
        ReadString((buf, size) => NativeApi.llama_model_meta_val_str_by_index(this, index, buf, size))
        ?? throw new ArgumentOutOfRangeException(nameof(index), index, $"The model has {MetadataCount} metadata entries.");

    /// <summary>The value of <paramref name="key"/>, or null when the model has no such key.</summary>
    public string? GetMetadataValue(string key) =>
        ReadString((buf, size) => NativeApi.llama_model_meta_val_str(this, key, buf, size));

    public IReadOnlyDictionary<string, string> Metadata
    {
        get
        {
            var count = MetadataCount;
            var result = new Dictionary<string, string>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                result[GetMetadataKey(i)] = GetMetadataValue(i);
            }
            return result;
        }
    }

    /// <summary>llama_model_desc, e.g. "llama 8B Q4_K - Medium".</summary>
    public string Description => ReadString((buf, size) => NativeApi.llama_model_desc(this, buf, size)) ?? "";

    /// <summary>Total bytes of all tensors.</summary>
    public ulong SizeBytes => NativeApi.llama_model_size(this);

    public ulong ParameterCount => NativeApi.llama_model_n_params(this);

    public int TrainingContextLength => NativeApi.llama_model_n_ctx_train(this);

    public int EmbeddingLength => NativeApi.llama_model_n_embd(this);

    public int LayerCount => NativeApi.llama_model_n_layer(this);

    public int VocabTokenCount => WithVocab(NativeApi.llama_vocab_n_tokens);

    /// <summary>Beginning-of-sentence token, or -1 (LLAMA_TOKEN_NULL).</summary>
    public int BosToken => WithVocab(NativeApi.llama_vocab_bos);

    public bool AddsBos => WithVocab(NativeApi.llama_vocab_get_add_bos);

    /// <summary>The devices llama.cpp placed this model on (none when it runs on the CPU alone).</summary>
    public IReadOnlyList<LlamaDevice> Devices
    {
        get
        {
            var count = NativeApi.llama_model_n_devices(this);
            var devices = new List<LlamaDevice>(count);
            for (var i = 0; i < count; i++)
            {
                devices.Add(LlamaDevice.Query(NativeApi.llama_model_get_device(this, i)));
            }
            return devices;
        }
    }

    // The vocab pointer belongs to the model, so the model must stay alive across both calls.
    private T WithVocab<T>(Func<nint, T> read)
    {
        var added = false;
        DangerousAddRef(ref added);
        try
        {
            return read(NativeApi.llama_model_get_vocab(this));
        }
        finally
        {
            if (added)
            {
                DangerousRelease();
            }
        }
    }

    private delegate int StringReader(byte* buf, nuint size);

    // llama.cpp's getters snprintf into buf and return the full length (or -1), so one retry with the right size suffices.
    private static string? ReadString(StringReader read)
    {
        Span<byte> buffer = stackalloc byte[256];
        while (true)
        {
            int length;
            fixed (byte* p = buffer)
            {
                length = read(p, (nuint)buffer.Length);
            }
            if (length < 0)
            {
                return null;
            }
            if (length < buffer.Length)
            {
                return System.Text.Encoding.UTF8.GetString(buffer[..length]);
            }
            buffer = new byte[length + 1];
        }
    }
}
