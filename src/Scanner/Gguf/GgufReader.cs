namespace Governance.Scanner.Gguf;

/// <summary>
/// Reads a GGUF header (spec: ggml <c>docs/gguf.md</c>, v2 and v3, little-endian) without touching tensor data.
/// Built for hostile input: every count and length is checked against <see cref="GgufLimits"/> and against the
/// bytes left in the file before anything is allocated for it, every size is computed with overflow checks, and
/// every failure is a <see cref="GgufFormatException"/>.
/// </summary>
internal static class GgufReader
{
    private const uint DefaultAlignment = 32;
    private const string AlignmentKey = "general.alignment";
    private const int MaxDimensions = 4;

    // Smallest encodings, used to refuse counts the remaining bytes cannot possibly hold.
    private const int MinKeyValueBytes = 8 + 4 + 1; // key length, type, one value byte
    private const int MinTensorInfoBytes = 8 + 4 + 4 + 8; // name length, n_dims, type, offset

    public static GgufFile Read(string path, GgufLimits? limits = null)
    {
        // No FileStream buffering: the reader has its own buffer.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        return Read(stream, limits);
    }

    /// <summary>Reads from offset 0 of a readable, seekable stream (its length bounds every claim).</summary>
    public static GgufFile Read(Stream stream, GgufLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek)
            throw new ArgumentException("GGUF is read from a readable, seekable stream.", nameof(stream));
        limits ??= GgufLimits.Default;
        using var reader = new GgufByteReader(stream, limits.MaxHeaderBytes);
        return new Parser(reader, limits).Parse();
    }

    private sealed class Parser(GgufByteReader r, GgufLimits limits)
    {
        public GgufFile Parse()
        {
            ReadMagic();
            var version = ReadVersion();
            var tensorCount = ReadCount(limits.MaxTensors, MinTensorInfoBytes, "tensor count");
            var kvCount = ReadCount(limits.MaxKeyValues, MinKeyValueBytes, "metadata count");

            var (metadata, alignment) = ReadMetadata(kvCount);
            var (tensors, infoOffsets) = ReadTensorInfos(tensorCount);

            var end = r.Position;
            if (end > long.MaxValue - alignment)
                throw new GgufFormatException(GgufError.Overflow, end, "data section offset overflows");
            var dataOffset = AlignUp(end, alignment);

            var located = new GgufTensorInfo[tensors.Count];
            long parameters = 0;
            for (var i = 0; i < tensors.Count; i++)
            {
                located[i] = Locate(tensors[i], infoOffsets[i], dataOffset, alignment);
                if (located[i].ElementCount > long.MaxValue - parameters)
                    throw new GgufFormatException(GgufError.Overflow, infoOffsets[i], "parameter count overflows");
                parameters += located[i].ElementCount;
            }

            return new GgufFile(version, metadata, located, alignment, dataOffset, r.Length, parameters);
        }

        private void ReadMagic()
        {
            var at = r.Position;
            Span<byte> magic = [r.ReadByte(), r.ReadByte(), r.ReadByte(), r.ReadByte()];
            if (!magic.SequenceEqual("GGUF"u8))
                throw new GgufFormatException(GgufError.BadMagic, at, "file does not start with \"GGUF\"");
        }

        private uint ReadVersion()
        {
            var at = r.Position;
            var version = r.ReadUInt32();
            if (version is 2 or 3) return version;
            // v1 used 32-bit counts; a big-endian v3 file reads as 0x03000000.
            var hint = (version & 0xFFFF) == 0 ? " (a big-endian file?)" : "";
            throw new GgufFormatException(GgufError.UnsupportedVersion, at, $"GGUF version {version}{hint}; only 2 and 3 are read");
        }

        private long ReadCount(long max, int minBytesEach, string what)
        {
            var at = r.Position;
            var count = r.ReadUInt64();
            if (count > (ulong)max)
                throw new GgufFormatException(GgufError.CountTooLarge, at, $"{what} is {count}, limit is {max}");
            r.Claim(at, count, minBytesEach, what);
            return (long)count;
        }

        private (OrderedDictionary<string, GgufValue>, uint) ReadMetadata(long count)
        {
            var metadata = new OrderedDictionary<string, GgufValue>((int)Math.Min(count, 1024), StringComparer.Ordinal);
            var alignment = DefaultAlignment;
            for (long i = 0; i < count; i++)
            {
                var at = r.Position;
                var key = r.ReadString(limits.MaxNameLength, "metadata key");
                if (key.Length == 0)
                    throw new GgufFormatException(GgufError.EmptyKey, at, $"metadata key {i} is empty");
                if (metadata.ContainsKey(key))
                    throw new GgufFormatException(GgufError.DuplicateKey, at, $"metadata key '{key}' appears twice");

                var value = ReadValue(ReadValueType(), depth: 0);
                metadata.Add(key, value);
                if (key == AlignmentKey) alignment = CheckAlignment(value, at);
                CheckHeaderBudget(at);
            }
            return (metadata, alignment);
        }

        private static uint CheckAlignment(GgufValue value, long at) =>
            value.Value is uint a && a != 0 && (a & (a - 1)) == 0
                ? a
                : throw new GgufFormatException(GgufError.BadAlignment, at, $"{AlignmentKey} must be a uint32 power of two, is {value.Type} {value}");

        private GgufValueType ReadValueType()
        {
            var at = r.Position;
            var type = r.ReadUInt32();
            return type <= (uint)GgufValueType.Float64
                ? (GgufValueType)type
                : throw new GgufFormatException(GgufError.UnknownValueType, at, $"value type {type} is not a GGUF type");
        }

        private GgufValue ReadValue(GgufValueType type, int depth) => new(type, type switch
        {
            GgufValueType.UInt8 => r.ReadByte(),
            GgufValueType.Int8 => r.ReadSByte(),
            GgufValueType.UInt16 => r.ReadUInt16(),
            GgufValueType.Int16 => r.ReadInt16(),
            GgufValueType.UInt32 => r.ReadUInt32(),
            GgufValueType.Int32 => r.ReadInt32(),
            GgufValueType.Float32 => r.ReadSingle(),
            GgufValueType.Bool => r.ReadBool(),
            GgufValueType.String => r.ReadString(limits.MaxStringLength, "string value"),
            GgufValueType.UInt64 => r.ReadUInt64(),
            GgufValueType.Int64 => r.ReadInt64(),
            GgufValueType.Float64 => r.ReadDouble(),
            _ => ReadArray(depth + 1),
        });

        private GgufArray ReadArray(int depth)
        {
            var at = r.Position;
            if (depth > limits.MaxArrayDepth)
                throw new GgufFormatException(GgufError.NestingTooDeep, at, $"arrays nested deeper than {limits.MaxArrayDepth}");
            var elementType = ReadValueType();
            var length = r.ReadUInt64();
            var max = Math.Min(limits.MaxArrayLength, Array.MaxLength);
            if (length > (ulong)max)
                throw new GgufFormatException(GgufError.CountTooLarge, at, $"array claims {length} elements, limit is {max}");
            r.Claim(at, length, MinEncodedSize(elementType), "array");

            var n = (int)length;
            Array items = elementType switch
            {
                GgufValueType.UInt8 => Many(n, r.ReadByte),
                GgufValueType.Int8 => Many(n, r.ReadSByte),
                GgufValueType.UInt16 => Many(n, r.ReadUInt16),
                GgufValueType.Int16 => Many(n, r.ReadInt16),
                GgufValueType.UInt32 => Many(n, r.ReadUInt32),
                GgufValueType.Int32 => Many(n, r.ReadInt32),
                GgufValueType.Float32 => Many(n, r.ReadSingle),
                GgufValueType.Bool => Many(n, r.ReadBool),
                GgufValueType.String => Many(n, () => r.ReadString(limits.MaxStringLength, "string element")),
                GgufValueType.UInt64 => Many(n, r.ReadUInt64),
                GgufValueType.Int64 => Many(n, r.ReadInt64),
                GgufValueType.Float64 => Many(n, r.ReadDouble),
                _ => Many(n, () => ReadArray(depth + 1)),
            };
            return new GgufArray(elementType, items);
        }

        private static T[] Many<T>(int count, Func<T> read)
        {
            var items = new T[count];
            for (var i = 0; i < items.Length; i++) items[i] = read();
            return items;
        }

        private static int MinEncodedSize(GgufValueType type) => type switch
        {
            GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
            GgufValueType.UInt16 or GgufValueType.Int16 => 2,
            GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
            GgufValueType.Array => 4 + 8,
            _ => 8, // 64-bit scalars, and a string's length prefix
        };

        private (List<GgufTensorInfo>, List<long>) ReadTensorInfos(long count)
        {
            var capacity = (int)Math.Min(count, 4096);
            var tensors = new List<GgufTensorInfo>(capacity);
            var offsets = new List<long>(capacity);
            var names = new HashSet<string>(capacity, StringComparer.Ordinal);
            for (long i = 0; i < count; i++)
            {
                var at = r.Position;
                var name = r.ReadString(limits.MaxNameLength, "tensor name");
                if (!names.Add(name))
                    throw new GgufFormatException(GgufError.DuplicateTensorName, at, $"tensor '{name}' appears twice");

                var dimsAt = r.Position;
                var nDims = r.ReadUInt32();
                if (nDims > MaxDimensions)
                    throw new GgufFormatException(GgufError.TooManyDimensions, dimsAt, $"tensor '{name}' has {nDims} dimensions, at most {MaxDimensions}");
                var dims = new long[nDims];
                long elements = 1;
                for (var d = 0; d < dims.Length; d++)
                {
                    var dimAt = r.Position;
                    var dim = r.ReadUInt64();
                    if (dim > long.MaxValue || (dim != 0 && elements > long.MaxValue / (long)dim))
                        throw new GgufFormatException(GgufError.Overflow, dimAt, $"tensor '{name}' element count overflows");
                    dims[d] = (long)dim;
                    elements *= (long)dim;
                }

                var typeAt = r.Position;
                var typeId = r.ReadUInt32();
                if (!GgmlTypeLayout.TryGet(typeId, out var blockSize, out var typeSize))
                    throw new GgufFormatException(GgufError.UnknownTensorType, typeAt, $"tensor '{name}' has unknown ggml type {typeId}");
                var rowLength = dims.Length > 0 ? dims[0] : 1;
                if (rowLength % blockSize != 0)
                    throw new GgufFormatException(GgufError.InvalidShape, dimsAt, $"tensor '{name}' rows of {rowLength} are not a multiple of the {(GgmlType)typeId} block size {blockSize}");
                var blocks = elements / blockSize;
                if (blocks > long.MaxValue / typeSize)
                    throw new GgufFormatException(GgufError.Overflow, dimsAt, $"tensor '{name}' byte size overflows");

                var offset = r.ReadUInt64();
                if (offset > long.MaxValue)
                    throw new GgufFormatException(GgufError.TensorOutOfBounds, at, $"tensor '{name}' offset {offset} is beyond any file");

                tensors.Add(new GgufTensorInfo(name, dims, (GgmlType)typeId, (long)offset, FileOffset: 0, elements, blocks * typeSize));
                offsets.Add(at);
                CheckHeaderBudget(at);
            }
            return (tensors, offsets);
        }

        private GgufTensorInfo Locate(GgufTensorInfo tensor, long infoAt, long dataOffset, uint alignment)
        {
            if (tensor.Offset % alignment != 0)
                throw new GgufFormatException(GgufError.MisalignedTensor, infoAt, $"tensor '{tensor.Name}' offset {tensor.Offset} is not a multiple of {alignment}");
            if (tensor.Offset > r.Length - dataOffset || tensor.ByteSize > r.Length - dataOffset - tensor.Offset)
                throw new GgufFormatException(GgufError.TensorOutOfBounds, infoAt,
                    $"tensor '{tensor.Name}' ({tensor.ByteSize} bytes at data offset {tensor.Offset}) ends past the file's {r.Length} bytes");
            return tensor with { FileOffset = dataOffset + tensor.Offset };
        }

        private void CheckHeaderBudget(long at)
        {
            if (r.Position > r.HeaderLimit)
                throw new GgufFormatException(GgufError.HeaderTooLarge, at, $"header extends past {r.HeaderLimit} bytes");
        }

        private static long AlignUp(long offset, uint alignment) => (offset + alignment - 1) / alignment * alignment;
    }
}
