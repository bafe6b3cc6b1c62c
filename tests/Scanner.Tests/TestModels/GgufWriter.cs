using System.Text;
using Governance.Scanner.Gguf;

namespace Governance.Scanner.Tests.TestModels;

/// <summary>
/// Writes GGUF v3 files the way gguf-py does: header, key/values in the order added, tensor infos, padding to the
/// alignment, then each tensor's data padded to the alignment. Offsets are contiguous, as llama.cpp requires.
/// </summary>
internal sealed class GgufWriter
{
    private readonly List<KeyValuePair<string, GgufValue>> _metadata = [];
    private readonly List<(string Name, GgmlType Type, long[] Dimensions, byte[] Data)> _tensors = [];

    public uint Version { get; init; } = 3;

    public GgufWriter Add(string key, GgufValueType type, object value)
    {
        _metadata.Add(new(key, new GgufValue(type, value)));
        return this;
    }

    public GgufWriter Add(string key, string value) => Add(key, GgufValueType.String, value);
    public GgufWriter Add(string key, uint value) => Add(key, GgufValueType.UInt32, value);
    public GgufWriter Add(string key, float value) => Add(key, GgufValueType.Float32, value);
    public GgufWriter Add(string key, bool value) => Add(key, GgufValueType.Bool, value);

    public GgufWriter AddArray(string key, GgufValueType elementType, Array items) =>
        Add(key, GgufValueType.Array, new GgufArray(elementType, items));

    public GgufWriter AddTensor(string name, GgmlType type, long[] dimensions, byte[] data)
    {
        var expected = ByteSize(type, dimensions);
        if (data.Length != expected)
            throw new ArgumentException($"{name}: {data.Length} bytes of data, the shape needs {expected}", nameof(data));
        _tensors.Add((name, type, dimensions, data));
        return this;
    }

    public static long ByteSize(GgmlType type, IReadOnlyList<long> dimensions)
    {
        GgmlTypeLayout.TryGet((uint)type, out var block, out var size);
        var elements = dimensions.Aggregate(1L, (a, d) => a * d);
        return elements / block * size;
    }

    public void Write(string path)
    {
        using var file = File.Create(path);
        Write(file);
    }

    public byte[] ToArray()
    {
        using var memory = new MemoryStream();
        Write(memory);
        return memory.ToArray();
    }

    public void Write(Stream stream)
    {
        var alignment = _metadata.LastOrDefault(kv => kv.Key == "general.alignment").Value?.Value is uint a ? a : 32u;
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write("GGUF"u8);
        w.Write(Version);
        w.Write((ulong)_tensors.Count);
        w.Write((ulong)_metadata.Count);
        foreach (var (key, value) in _metadata)
        {
            WriteString(w, key);
            w.Write((uint)value.Type);
            WriteValue(w, value.Type, value.Value);
        }

        ulong offset = 0;
        foreach (var (name, type, dimensions, data) in _tensors)
        {
            WriteString(w, name);
            w.Write((uint)dimensions.Length);
            foreach (var d in dimensions) w.Write((ulong)d);
            w.Write((uint)type);
            w.Write(offset);
            offset += (ulong)Pad(data.Length, alignment);
        }

        w.Flush();
        WritePadding(w, stream.Position, alignment);
        foreach (var (_, _, _, data) in _tensors)
        {
            w.Write(data);
            w.Write(new byte[Pad(data.Length, alignment) - data.Length]);
        }
    }

    private static long Pad(long length, uint alignment) => (length + alignment - 1) / alignment * alignment;

    private static void WritePadding(BinaryWriter w, long position, uint alignment) =>
        w.Write(new byte[Pad(position, alignment) - position]);

    private static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static void WriteValue(BinaryWriter w, GgufValueType type, object value)
    {
        switch (type)
        {
            case GgufValueType.UInt8: w.Write((byte)value); break;
            case GgufValueType.Int8: w.Write((sbyte)value); break;
            case GgufValueType.UInt16: w.Write((ushort)value); break;
            case GgufValueType.Int16: w.Write((short)value); break;
            case GgufValueType.UInt32: w.Write((uint)value); break;
            case GgufValueType.Int32: w.Write((int)value); break;
            case GgufValueType.Float32: w.Write((float)value); break;
            case GgufValueType.Bool: w.Write((bool)value ? (byte)1 : (byte)0); break;
            case GgufValueType.String: WriteString(w, (string)value); break;
            case GgufValueType.UInt64: w.Write((ulong)value); break;
            case GgufValueType.Int64: w.Write((long)value); break;
            case GgufValueType.Float64: w.Write((double)value); break;
            case GgufValueType.Array:
                var array = (GgufArray)value;
                w.Write((uint)array.ElementType);
                w.Write((ulong)array.Items.Length);
                foreach (var item in array.Items) WriteValue(w, array.ElementType, item!);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }
}
