using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Governance.Scanner.Tests.TestModels;

/// <summary>
/// Writes safetensors files as huggingface/safetensors does: the 8-byte header length, the JSON header (tensors in
/// the order added, <c>__metadata__</c> first when given) padded with spaces to a multiple of 8, then the data.
/// </summary>
internal sealed class SafetensorsWriter
{
    private readonly List<(string Name, string DType, long[] Shape, byte[] Data)> _tensors = [];

    public Dictionary<string, string>? Metadata { get; init; }

    public static int BytesPer(string dtype) => dtype switch
    {
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I64" or "F64" or "U64" => 8,
        _ => 1,
    };

    public SafetensorsWriter Add(string name, string dtype, long[] shape, int seed = 1)
    {
        var count = shape.Aggregate(1L, (a, d) => a * d) * BytesPer(dtype);
        var data = new byte[count];
        new Random(seed).NextBytes(data);
        _tensors.Add((name, dtype, shape, data));
        return this;
    }

    public byte[] ToArray() => Build(HeaderJson());

    public void Write(string path) => File.WriteAllBytes(path, ToArray());

    /// <summary>The header as this writer would lay it out, for tests that tamper with it.</summary>
    public string HeaderJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (Metadata is not null)
            {
                json.WriteStartObject("__metadata__");
                foreach (var (k, v) in Metadata) json.WriteString(k, v);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, dtype, shape, data) in _tensors)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype);
                json.WriteStartArray("shape");
                foreach (var d in shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + data.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += data.Length;
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The file with <paramref name="headerJson"/> as its header and this writer's data after it.</summary>
    public byte[] Build(string headerJson)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var padded = (header.Length + 7) / 8 * 8;
        var file = new byte[8 + padded + _tensors.Sum(t => t.Data.Length)];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)padded);
        header.CopyTo(file, 8);
        file.AsSpan(8 + header.Length, padded - header.Length).Fill((byte)' ');
        var at = 8 + padded;
        foreach (var (_, _, _, data) in _tensors)
        {
            data.CopyTo(file, at);
            at += data.Length;
        }
        return file;
    }
}
