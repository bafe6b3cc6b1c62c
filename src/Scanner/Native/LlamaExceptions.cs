namespace Governance.Scanner.Native;

/// <summary>A llama.cpp call failed. <see cref="ReturnCode"/> is llama.cpp's own code when the call has one.</summary>
internal class LlamaException(string message, int? returnCode = null, Exception? inner = null) : Exception(message, inner)
{
    public int? ReturnCode { get; } = returnCode;
}

/// <summary>The llama.cpp shared libraries are not where the binding looks; the message says how to fetch them.</summary>
internal sealed class LlamaNativesMissingException(string message) : LlamaException(message);

/// <summary>llama_model_load_from_file returned NULL. llama.cpp only logs why; <see cref="Reason"/> is that log line.</summary>
internal sealed class LlamaModelLoadException(string path, string? reason)
    : LlamaException($"llama.cpp could not load '{path}': {reason ?? "no reason logged"}")
{
    public string Path { get; } = path;
    public string? Reason { get; } = reason;
}

/// <summary>llama_decode returned non-zero.</summary>
internal sealed class LlamaDecodeException(int returnCode, int tokenCount, string? reason)
    : LlamaException($"llama_decode of {tokenCount} token(s) returned {returnCode} ({Describe(returnCode)}){(reason is null ? "" : $": {reason}")}", returnCode)
{
    // The codes documented on llama_decode in llama.h v0.5.0.
    public static string Describe(int code) => code switch
    {
        0 => "success",
        1 => "no KV slot for the batch: reduce the batch or enlarge the context",
        2 => "aborted; processed ubatches stay in the context's memory",
        -1 => "invalid input batch",
        < -1 => "fatal error; processed ubatches stay in the context's memory",
        _ => "warning",
    };
}
