using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Unicode;

namespace Governance.Scanner.Safetensors;

/// <summary>Why a file is not a safetensors file this reader accepts. Callers key on it; the message is for people.</summary>
internal enum SafetensorsError
{
    Truncated,
    HeaderTooLarge,
    InvalidUtf8,
    InvalidJson,
    NotAnObject,
    DuplicateName,
    TooManyTensors,
    InvalidTensor,
    UnknownDType,
    InvalidShape,
    Overflow,
    InvalidOffsets,
    InvalidMetadata,
}

/// <summary>The file is malformed or hostile; <see cref="Tensor"/> names the entry at fault, when there is one.</summary>
internal sealed class SafetensorsFormatException(SafetensorsError error, string? tensor, string message)
    : Exception($"{message} (safetensors {error}{(tensor is null ? "" : $" in '{tensor}'")})")
{
    public SafetensorsError Error { get; } = error;
    public string? Tensor { get; } = tensor;
}

/// <summary>A tensor as the header describes it; offsets are relative to the data section.</summary>
internal sealed record SafetensorsTensor(string Name, string DType, IReadOnlyList<long> Shape, long Begin, long End, long Elements);

/// <summary>The parsed header of a safetensors file.</summary>
internal sealed record SafetensorsFile(
    long FileLength,
    long HeaderLength,
    IReadOnlyList<SafetensorsTensor> Tensors,
    IReadOnlyDictionary<string, string> Metadata)
{
    public long DataOffset => 8 + HeaderLength;

    public long ParameterCount => Tensors.Sum(t => t.Elements);
}

/// <summary>Ceilings, far above any published model and far below what would exhaust the scanner.</summary>
internal sealed record SafetensorsLimits
{
    public static SafetensorsLimits Default { get; } = new();

    /// <summary>The reference implementation's own ceiling (MAX_HEADER_SIZE, 100 MB).</summary>
    public long MaxHeaderBytes { get; init; } = 100_000_000;

    public int MaxTensors { get; init; } = 1_000_000;
    public int MaxDimensions { get; init; } = 8;
}

/// <summary>
/// Reads the header of a safetensors file (huggingface/safetensors: an 8-byte little-endian header length, a UTF-8
/// JSON object of tensors and an optional <c>__metadata__</c> string map, then the data) without touching tensor data.
/// Built for hostile input like the GGUF reader: the claimed header length is checked against the limit and the file
/// before anything is allocated for it; the JSON is parsed with a depth limit; every tensor's dtype, shape and offsets
/// are checked (sizes with overflow checks), and the offsets must cover the data section exactly, without holes or
/// overlaps, as the format requires. Every failure is a <see cref="SafetensorsFormatException"/>.
/// </summary>
internal static class SafetensorsReader
{
    public const string MetadataKey = "__metadata__";

    // Bits per element of every dtype the format defines (safetensors' Dtype enum).
    private static readonly Dictionary<string, int> Bits = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 8, ["U8"] = 8, ["I8"] = 8, ["F8_E5M2"] = 8, ["F8_E4M3"] = 8, ["F8_E8M0"] = 8,
        ["I16"] = 16, ["U16"] = 16, ["F16"] = 16, ["BF16"] = 16,
        ["I32"] = 32, ["U32"] = 32, ["F32"] = 32, ["C64"] = 64,
        ["I64"] = 64, ["U64"] = 64, ["F64"] = 64,
        ["F4"] = 4, ["F6_E2M3"] = 6, ["F6_E3M2"] = 6,
    };

    public static SafetensorsFile Read(string path, SafetensorsLimits? limits = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        return Read(stream, limits);
    }

    public static SafetensorsFile Read(Stream stream, SafetensorsLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek) throw new ArgumentException("safetensors is read from a readable, seekable stream.", nameof(stream));
        limits ??= SafetensorsLimits.Default;
        var length = stream.Length;
        stream.Seek(0, SeekOrigin.Begin);

        Span<byte> prefix = stackalloc byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
            throw new SafetensorsFormatException(SafetensorsError.Truncated, null, $"the file has {length} bytes, fewer than the 8-byte header length");
        var claimed = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (claimed > (ulong)limits.MaxHeaderBytes)
            throw new SafetensorsFormatException(SafetensorsError.HeaderTooLarge, null, $"the header claims {claimed} bytes, limit is {limits.MaxHeaderBytes}");
        if (claimed > (ulong)(length - 8))
            throw new SafetensorsFormatException(SafetensorsError.Truncated, null, $"the header claims {claimed} bytes, only {length - 8} follow");
        var headerLength = (int)claimed;

        var header = ArrayPool<byte>.Shared.Rent(Math.Max(headerLength, 1));
        try
        {
            if (stream.ReadAtLeast(header.AsSpan(0, headerLength), headerLength, throwOnEndOfStream: false) < headerLength)
                throw new SafetensorsFormatException(SafetensorsError.Truncated, null, "the file ends inside its header");
            var json = header.AsSpan(0, headerLength);
            if (!Utf8.IsValid(json))
                throw new SafetensorsFormatException(SafetensorsError.InvalidUtf8, null, "the header is not valid UTF-8");
            return Parse(header.AsMemory(0, headerLength), length, headerLength, limits);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }
    }

    private static SafetensorsFile Parse(ReadOnlyMemory<byte> json, long fileLength, int headerLength, SafetensorsLimits limits)
    {
        JsonDocument document;
        try
        {
            // Depth 3 is all the format has: the object, a tensor or the metadata, a shape or offsets array.
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 3, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(SafetensorsError.InvalidJson, null, $"the header is not JSON the format allows: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException(SafetensorsError.NotAnObject, null, $"the header is a JSON {root.ValueKind}, not an object");

            try
            {
                return Entries(root, fileLength, headerLength, limits);
            }
            catch (InvalidOperationException e)
            {
                // JsonElement.GetString and Name throw this for escapes that are not text, e.g. a lone "\ud800".
                throw new SafetensorsFormatException(SafetensorsError.InvalidJson, null, $"the header holds a string that is not text: {e.Message}");
            }
        }
    }

    private static SafetensorsFile Entries(JsonElement root, long fileLength, int headerLength, SafetensorsLimits limits)
    {
        var dataLength = fileLength - 8 - headerLength;
        var names = new HashSet<string>(StringComparer.Ordinal);
        var tensors = new List<SafetensorsTensor>();
        IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>();
        foreach (var property in root.EnumerateObject())
        {
            if (!names.Add(property.Name))
                throw new SafetensorsFormatException(SafetensorsError.DuplicateName, property.Name, "the name appears twice");
            if (property.Name == MetadataKey)
            {
                metadata = Metadata(property.Value);
                continue;
            }
            if (tensors.Count >= limits.MaxTensors)
                throw new SafetensorsFormatException(SafetensorsError.TooManyTensors, null, $"more than {limits.MaxTensors} tensors");
            tensors.Add(Tensor(property.Name, property.Value, dataLength, limits));
        }
        CheckCoverage(tensors, dataLength);
        return new SafetensorsFile(fileLength, headerLength, tensors, metadata);
    }

    private static IReadOnlyDictionary<string, string> Metadata(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsFormatException(SafetensorsError.InvalidMetadata, MetadataKey, "must be an object of strings");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String || !metadata.TryAdd(entry.Name, entry.Value.GetString()!))
                throw new SafetensorsFormatException(SafetensorsError.InvalidMetadata, MetadataKey, $"'{entry.Name}' must be a string, given once");
        }
        return metadata;
    }

    private static SafetensorsTensor Tensor(string name, JsonElement value, long dataLength, SafetensorsLimits limits)
    {
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array)
            throw new SafetensorsFormatException(SafetensorsError.InvalidTensor, name, "a tensor needs dtype (string), shape (array) and data_offsets (array)");

        var dtype = dtypeElement.GetString()!;
        if (!Bits.TryGetValue(dtype, out var bits))
            throw new SafetensorsFormatException(SafetensorsError.UnknownDType, name, $"dtype '{dtype}' is not a safetensors dtype");

        if (shapeElement.GetArrayLength() > limits.MaxDimensions)
            throw new SafetensorsFormatException(SafetensorsError.InvalidShape, name, $"more than {limits.MaxDimensions} dimensions");
        var shape = new long[shapeElement.GetArrayLength()];
        long elements = 1;
        var i = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var d) || d < 0)
                throw new SafetensorsFormatException(SafetensorsError.InvalidShape, name, $"dimension {i} is not a non-negative integer");
            if (d != 0 && elements > long.MaxValue / d)
                throw new SafetensorsFormatException(SafetensorsError.Overflow, name, "the element count overflows");
            elements *= d;
            shape[i++] = d;
        }

        if (offsetsElement.GetArrayLength() != 2
            || !TryOffset(offsetsElement[0], out var begin) || !TryOffset(offsetsElement[1], out var end) || end < begin)
            throw new SafetensorsFormatException(SafetensorsError.InvalidOffsets, name, "data_offsets must be [begin, end] with 0 ≤ begin ≤ end");
        if (end > dataLength)
            throw new SafetensorsFormatException(SafetensorsError.InvalidOffsets, name, $"data ends at {end}, past the {dataLength}-byte data section");
        if (elements > long.MaxValue / bits)
            throw new SafetensorsFormatException(SafetensorsError.Overflow, name, "the byte size overflows");
        var totalBits = elements * bits;
        if (totalBits % 8 != 0 || totalBits / 8 != end - begin)
            throw new SafetensorsFormatException(SafetensorsError.InvalidOffsets, name,
                $"{elements} elements of {dtype} take {totalBits / 8.0} bytes, the offsets give {end - begin}");
        return new SafetensorsTensor(name, dtype, shape, begin, end, elements);
    }

    private static bool TryOffset(JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value) && value >= 0;
    }

    // "The byte buffer needs to be entirely indexed, and cannot contain holes": every byte of data belongs to exactly one tensor.
    private static void CheckCoverage(List<SafetensorsTensor> tensors, long dataLength)
    {
        long expected = 0;
        foreach (var tensor in tensors.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (tensor.Begin != expected)
                throw new SafetensorsFormatException(SafetensorsError.InvalidOffsets, tensor.Name,
                    tensor.Begin < expected ? $"data at {tensor.Begin} overlaps the previous tensor's, which ends at {expected}" : $"bytes {expected}–{tensor.Begin} belong to no tensor");
            expected = tensor.End;
        }
        if (expected != dataLength)
            throw new SafetensorsFormatException(SafetensorsError.InvalidOffsets, null, $"tensors cover {expected} of the {dataLength} data bytes");
    }
}
