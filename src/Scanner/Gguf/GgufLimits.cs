namespace Governance.Scanner.Gguf;

/// <summary>
/// Ceilings on what a file may claim. They sit far above any published model (a large vocabulary is ~260k tokens,
/// a large model ~2k tensors, its header well under 50 MiB) and far below what would exhaust the scanner's memory.
/// </summary>
internal sealed record GgufLimits
{
    public static GgufLimits Default { get; } = new();

    public long MaxTensors { get; init; } = 1_000_000;
    public long MaxKeyValues { get; init; } = 1_000_000;
    public long MaxArrayLength { get; init; } = 50_000_000;
    public int MaxArrayDepth { get; init; } = 8;

    /// <summary>Keys and tensor names (the spec allows 65,535-byte keys and 64-byte names; llama.cpp enforces the latter).</summary>
    public int MaxNameLength { get; init; } = 64 * 1024;

    public int MaxStringLength { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// Everything before the tensor data. Claims are checked against the file's length before allocating, but a
    /// multi-GB file could still honestly hold billions of tiny strings; this caps what the reader will decode.
    /// </summary>
    public long MaxHeaderBytes { get; init; } = 256L * 1024 * 1024;
}
