using Governance.Scanner.Gguf;
using Governance.Scanner.Tests.TestModels;

namespace Governance.Scanner.Tests.Gguf;

public sealed class GgufReaderTests
{
    internal static GgufWriter EveryValueType() => new GgufWriter()
        .Add("general.architecture", "llama")
        .Add("general.alignment", 64u)
        .Add("t.u8", GgufValueType.UInt8, (byte)250)
        .Add("t.i8", GgufValueType.Int8, (sbyte)-7)
        .Add("t.u16", GgufValueType.UInt16, (ushort)65000)
        .Add("t.i16", GgufValueType.Int16, (short)-32000)
        .Add("t.u32", GgufValueType.UInt32, 4_000_000_000u)
        .Add("t.i32", GgufValueType.Int32, -2_000_000_000)
        .Add("t.f32", GgufValueType.Float32, 3.25f)
        .Add("t.bool", GgufValueType.Bool, true)
        .Add("t.string", GgufValueType.String, "Grüße, 世界 🦙")
        .Add("t.empty", GgufValueType.String, "")
        .Add("t.u64", GgufValueType.UInt64, ulong.MaxValue)
        .Add("t.i64", GgufValueType.Int64, long.MinValue)
        .Add("t.f64", GgufValueType.Float64, -1.5e300)
        .AddArray("a.u8", GgufValueType.UInt8, new byte[] { 0, 1, 255 })
        .AddArray("a.i8", GgufValueType.Int8, new sbyte[] { -128, 127 })
        .AddArray("a.u16", GgufValueType.UInt16, new ushort[] { 1, 65535 })
        .AddArray("a.i16", GgufValueType.Int16, new short[] { -1, 2 })
        .AddArray("a.u32", GgufValueType.UInt32, new uint[] { 7, uint.MaxValue })
        .AddArray("a.i32", GgufValueType.Int32, new[] { int.MinValue, 0, int.MaxValue })
        .AddArray("a.f32", GgufValueType.Float32, new[] { 0.5f, -0f, float.PositiveInfinity })
        .AddArray("a.bool", GgufValueType.Bool, new[] { true, false, true })
        .AddArray("a.string", GgufValueType.String, new[] { "a", "", "ü" })
        .AddArray("a.u64", GgufValueType.UInt64, new[] { 0UL, ulong.MaxValue })
        .AddArray("a.i64", GgufValueType.Int64, new[] { long.MinValue, long.MaxValue })
        .AddArray("a.f64", GgufValueType.Float64, new[] { Math.PI, -0.0 })
        .AddArray("a.empty", GgufValueType.UInt32, Array.Empty<uint>())
        .AddArray("a.nested", GgufValueType.Array, new[]
        {
            new GgufArray(GgufValueType.String, new[] { "x", "y" }),
            new GgufArray(GgufValueType.Array, new[] { new GgufArray(GgufValueType.Int16, new short[] { 5 }) }),
        })
        .AddTensor("f32", GgmlType.F32, [3, 2], new byte[24])
        .AddTensor("q4", GgmlType.Q4_0, [64, 2], new byte[2 * 2 * 18])
        .AddTensor("f16.3d", GgmlType.F16, [2, 3, 4], new byte[48])
        .AddTensor("scalar", GgmlType.I32, [], new byte[4]);

    [Fact]
    public void every_value_type_reads_back_as_written()
    {
        var writer = EveryValueType();
        var file = GgufReader.Read(new MemoryStream(writer.ToArray()));

        Assert.Equal(3u, file.Version);
        var m = file.Metadata;
        Assert.Equal(29, m.Count);
        Assert.Equal(["general.architecture", "general.alignment", "t.u8"], m.Keys.Take(3));
        Assert.Equal((byte)250, m["t.u8"].Value);
        Assert.Equal((sbyte)-7, m["t.i8"].Value);
        Assert.Equal((ushort)65000, m["t.u16"].Value);
        Assert.Equal((short)-32000, m["t.i16"].Value);
        Assert.Equal(4_000_000_000u, m["t.u32"].Value);
        Assert.Equal(-2_000_000_000, m["t.i32"].Value);
        Assert.Equal(3.25f, m["t.f32"].Value);
        Assert.Equal(true, m["t.bool"].Value);
        Assert.Equal("Grüße, 世界 🦙", m["t.string"].AsString());
        Assert.Equal("", m["t.empty"].AsString());
        Assert.Equal(ulong.MaxValue, m["t.u64"].Value);
        Assert.Equal(long.MinValue, m["t.i64"].Value);
        Assert.Equal(-1.5e300, m["t.f64"].Value);
        Assert.Equal(GgufValueType.Float64, m["t.f64"].Type);

        Assert.Equal(new byte[] { 0, 1, 255 }, m["a.u8"].AsArray()!.Items);
        Assert.Equal(new sbyte[] { -128, 127 }, m["a.i8"].AsArray()!.Items);
        Assert.Equal(new ushort[] { 1, 65535 }, m["a.u16"].AsArray()!.Items);
        Assert.Equal(new short[] { -1, 2 }, m["a.i16"].AsArray()!.Items);
        Assert.Equal(new uint[] { 7, uint.MaxValue }, m["a.u32"].AsArray()!.Items);
        Assert.Equal(new[] { int.MinValue, 0, int.MaxValue }, m["a.i32"].AsArray()!.Items);
        Assert.Equal(new[] { 0.5f, -0f, float.PositiveInfinity }, m["a.f32"].AsArray()!.Items);
        Assert.Equal(new[] { true, false, true }, m["a.bool"].AsArray()!.Items);
        Assert.Equal(new[] { "a", "", "ü" }, m["a.string"].AsArray()!.Items);
        Assert.Equal(new[] { 0UL, ulong.MaxValue }, m["a.u64"].AsArray()!.Items);
        Assert.Equal(new[] { long.MinValue, long.MaxValue }, m["a.i64"].AsArray()!.Items);
        Assert.Equal(new[] { Math.PI, -0.0 }, m["a.f64"].AsArray()!.Items);
        Assert.Equal(GgufValueType.UInt32, m["a.empty"].AsArray()!.ElementType);
        Assert.Equal(0, m["a.empty"].AsArray()!.Count);

        var nested = (GgufArray[])m["a.nested"].AsArray()!.Items;
        Assert.Equal(new[] { "x", "y" }, nested[0].Items);
        var inner = (GgufArray[])nested[1].Items;
        Assert.Equal(new short[] { 5 }, inner[0].Items);
    }

    [Fact]
    public void tensor_infos_carry_shape_type_size_and_an_aligned_location()
    {
        var file = GgufReader.Read(new MemoryStream(EveryValueType().ToArray()));

        Assert.Equal(64u, file.Alignment);
        Assert.Equal(0, file.DataOffset % 64);
        Assert.Equal(["f32", "q4", "f16.3d", "scalar"], file.Tensors.Select(t => t.Name));
        Assert.Equal([3L, 2], file.Tensors[0].Dimensions);
        Assert.Equal([GgmlType.F32, GgmlType.Q4_0, GgmlType.F16, GgmlType.I32], file.Tensors.Select(t => t.Type));
        Assert.Equal([6L, 128, 24, 1], file.Tensors.Select(t => t.ElementCount));
        Assert.Equal([24L, 72, 48, 4], file.Tensors.Select(t => t.ByteSize));
        Assert.Equal([0L, 64, 192, 256], file.Tensors.Select(t => t.Offset));
        Assert.All(file.Tensors, t => Assert.Equal(file.DataOffset + t.Offset, t.FileOffset));
        Assert.Equal(6 + 128 + 24 + 1, file.ParameterCount);
    }

    [Fact]
    public void the_alignment_defaults_to_32_when_the_file_does_not_set_it()
    {
        var bytes = new GgufWriter().Add("general.name", "n").AddTensor("t", GgmlType.F32, [1], new byte[4]).ToArray();

        var file = GgufReader.Read(new MemoryStream(bytes));

        Assert.Equal(32u, file.Alignment);
        Assert.Equal(0, file.DataOffset % 32);
        Assert.Equal(bytes.Length, file.FileLength);
    }

    [Fact]
    public void a_version_2_file_reads_like_version_3()
    {
        var bytes = new GgufWriter { Version = 2 }.Add("general.name", "old").ToArray();

        var file = GgufReader.Read(new MemoryStream(bytes));

        Assert.Equal(2u, file.Version);
        Assert.Equal("old", file.GetString("general.name"));
    }

    [Fact]
    public void tiny_llama_reads_back_with_every_tensor_and_its_parameter_count()
    {
        var options = new TinyLlamaOptions();
        var file = GgufReader.Read(new MemoryStream(TinyLlama.Build(options).ToArray()));

        Assert.Equal(3 + 9 * options.Layers, file.Tensors.Count);
        Assert.Equal(TinyLlama.ParameterCount(options), file.ParameterCount);
        Assert.Equal(file.Tensors.Sum(t => t.Dimensions.Aggregate(1L, (a, d) => a * d)), file.ParameterCount);
        Assert.Equal([64L, TinyLlama.VocabSize], file.Tensors.Single(t => t.Name == "token_embd.weight").Dimensions);
        Assert.Equal([64L, 32], file.Tensors.Single(t => t.Name == "blk.1.attn_k.weight").Dimensions);
        Assert.Equal([128L, 64], file.Tensors.Single(t => t.Name == "blk.0.ffn_down.weight").Dimensions);
        var tokens = (string[])file.Metadata["tokenizer.ggml.tokens"].AsArray()!.Items;
        Assert.Equal(["<unk>", "<s>", "</s>", "<0x00>"], tokens.Take(4));
        Assert.Equal("<0x0A>", tokens[3 + '\n']);
        Assert.Equal(GgufValueType.Int32, file.Metadata["tokenizer.ggml.token_type"].AsArray()!.ElementType);
        Assert.Equal(16L, file.GetInteger("llama.rope.dimension_count"));
    }

    [Fact]
    public void reading_a_multi_megabyte_file_stops_at_the_header()
    {
        var options = new TinyLlamaOptions { Embedding = 128, FeedForward = 512, Layers = 4 };
        var bytes = TinyLlama.Build(options).ToArray();
        var stream = new CountingStream(new MemoryStream(bytes));

        var file = GgufReader.Read(stream);

        Assert.True(bytes.Length > 4_000_000);
        Assert.InRange(stream.BytesRead, file.DataOffset - 32, file.DataOffset + 64 * 1024);
    }

    [Fact]
    public void a_file_on_disk_reads_through_its_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gguf-{Guid.NewGuid():N}.gguf");
        try
        {
            TinyLlama.Write(path, new TinyLlamaOptions { F16 = true });

            var file = GgufReader.Read(path);

            Assert.Equal(GgmlType.F16, file.Tensors.Single(t => t.Name == "output.weight").Type);
            Assert.Equal(GgmlType.F32, file.Tensors.Single(t => t.Name == "output_norm.weight").Type);
            Assert.Equal(new FileInfo(path).Length, file.FileLength);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void a_stream_that_cannot_seek_is_refused_before_reading()
    {
        var stream = new ForwardOnlyStream(new MemoryStream(EveryValueType().ToArray()));

        Assert.Throws<ArgumentException>(() => GgufReader.Read(stream));
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));
        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        private int Count(int n) { BytesRead += n; return n; }
    }

    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
