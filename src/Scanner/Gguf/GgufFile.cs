namespace Governance.Scanner.Gguf;

/// <summary>
/// A tensor as the header describes it. <see cref="Dimensions"/> are in GGUF order (ne[0], the row length, first);
/// <see cref="Offset"/> is relative to the data section, <see cref="FileOffset"/> absolute.
/// </summary>
internal sealed record GgufTensorInfo(
    string Name,
    IReadOnlyList<long> Dimensions,
    GgmlType Type,
    long Offset,
    long FileOffset,
    long ElementCount,
    long ByteSize);

/// <summary>The parsed header of a GGUF file: metadata in file order, tensor infos, and where the data starts.</summary>
internal sealed class GgufFile
{
    internal GgufFile(
        uint version,
        OrderedDictionary<string, GgufValue> metadata,
        IReadOnlyList<GgufTensorInfo> tensors,
        uint alignment,
        long dataOffset,
        long fileLength,
        long parameterCount)
    {
        Version = version;
        Metadata = metadata;
        Tensors = tensors;
        Alignment = alignment;
        DataOffset = dataOffset;
        FileLength = fileLength;
        ParameterCount = parameterCount;
    }

    public uint Version { get; }
    public IReadOnlyDictionary<string, GgufValue> Metadata { get; }
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }
    public uint Alignment { get; }
    public long DataOffset { get; }
    public long FileLength { get; }

    /// <summary>The sum of every tensor's element count.</summary>
    public long ParameterCount { get; }

    public string? GetString(string key) => Metadata.TryGetValue(key, out var v) ? v.AsString() : null;

    public long? GetInteger(string key) => Metadata.TryGetValue(key, out var v) ? v.AsInteger() : null;
}
