using System.Text;
using Governance.Scanner.Gguf;

namespace Governance.Scanner.Tests.Gguf;

public sealed class MalformedGgufTests
{
    private const int HeaderBytes = 4 + 4 + 8 + 8;

    [Fact]
    public void a_file_cut_short_anywhere_before_its_tensor_data_ends_is_refused_with_a_typed_error()
    {
        var bytes = GgufReaderTests.EveryValueType().ToArray();
        var full = GgufReader.Read(new MemoryStream(bytes));
        var dataEnd = full.Tensors.Max(t => t.FileOffset + t.ByteSize);

        for (var cut = 0; cut < bytes.Length; cut++)
        {
            var prefix = bytes.AsSpan(0, cut).ToArray();
            if (cut >= dataEnd)
            {
                GgufReader.Read(new MemoryStream(prefix)); // only the last tensor's padding is gone
                continue;
            }

            var e = Fails(prefix);
            Assert.InRange(e.Offset, 0, cut);
            if (cut <= full.DataOffset - full.Alignment) Assert.Equal(GgufError.Truncated, e.Error);
            else Assert.Contains(e.Error, new[] { GgufError.Truncated, GgufError.TensorOutOfBounds });
        }
    }

    [Fact]
    public void a_file_without_the_gguf_magic_is_refused_at_byte_0()
    {
        var e = Fails(Encoding.ASCII.GetBytes("GGML").Concat(new byte[20]).ToArray());

        Assert.Equal((GgufError.BadMagic, 0L), (e.Error, e.Offset));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(4u)]
    [InlineData(0x03000000u)] // version 3 written big-endian
    public void versions_other_than_2_and_3_are_refused_at_byte_4(uint version)
    {
        var e = Fails(new Raw().Header(version: version).ToArray());

        Assert.Equal((GgufError.UnsupportedVersion, 4L), (e.Error, e.Offset));
    }

    [Theory]
    [InlineData(ulong.MaxValue)]
    [InlineData(1_000_001UL)]
    public void a_tensor_count_over_the_limit_is_refused_at_its_field(ulong count)
    {
        var e = Fails(new Raw().Header(tensors: count).ToArray());

        Assert.Equal((GgufError.CountTooLarge, 8L), (e.Error, e.Offset));
    }

    [Theory]
    [InlineData(ulong.MaxValue)]
    [InlineData(1_000_001UL)]
    public void a_metadata_count_over_the_limit_is_refused_at_its_field(ulong count)
    {
        var e = Fails(new Raw().Header(kvs: count).ToArray());

        Assert.Equal((GgufError.CountTooLarge, 16L), (e.Error, e.Offset));
    }

    [Fact]
    public void counts_within_the_limits_that_a_tiny_file_cannot_hold_are_refused_before_allocating()
    {
        var tensors = new Raw().Header(tensors: 1_000_000).ToArray();
        var kvs = new Raw().Header(kvs: 1_000_000).ToArray();

        Assert.Equal(GgufError.Truncated, FailsAllocatingLittle(tensors).Error);
        Assert.Equal(GgufError.Truncated, FailsAllocatingLittle(kvs).Error);
    }

    [Fact]
    public void a_string_longer_than_the_limit_is_refused_at_its_length_prefix()
    {
        var bytes = new Raw().Header(kvs: 1).Str("k").U32((uint)GgufValueType.String).U64(1UL << 40).ToArray();

        var e = FailsAllocatingLittle(bytes);

        Assert.Equal((GgufError.StringTooLong, HeaderBytes + 9L + 4), (e.Error, e.Offset));
    }

    [Fact]
    public void a_key_longer_than_the_name_limit_is_refused()
    {
        var bytes = new Raw().Header(kvs: 1).U64(64 * 1024 + 1).Bytes(new byte[64]).ToArray();

        Assert.Equal((GgufError.StringTooLong, (long)HeaderBytes), (Fails(bytes).Error, Fails(bytes).Offset));
    }

    [Fact]
    public void a_string_within_the_limit_but_past_the_end_of_the_file_is_truncated()
    {
        var bytes = new Raw().Header(kvs: 1).Str("k").U32((uint)GgufValueType.String).U64(10_000_000).Bytes(1, 2, 3).ToArray();

        Assert.Equal(GgufError.Truncated, FailsAllocatingLittle(bytes).Error);
    }

    [Fact]
    public void an_array_longer_than_the_limit_is_refused_at_its_header()
    {
        var bytes = new Raw().Header(kvs: 1).Str("k").U32((uint)GgufValueType.Array)
            .U32((uint)GgufValueType.UInt8).U64(50_000_001).ToArray();

        var e = FailsAllocatingLittle(bytes);

        Assert.Equal((GgufError.CountTooLarge, HeaderBytes + 9L + 4), (e.Error, e.Offset));
    }

    [Theory]
    [InlineData((uint)GgufValueType.UInt8)]
    [InlineData((uint)GgufValueType.String)]
    [InlineData((uint)GgufValueType.Array)]
    [InlineData((uint)GgufValueType.Float64)]
    public void an_array_within_the_limit_but_past_the_end_of_the_file_is_refused_before_allocating(uint elementType)
    {
        var bytes = new Raw().Header(kvs: 1).Str("k").U32((uint)GgufValueType.Array)
            .U32(elementType).U64(40_000_000).Bytes(new byte[64]).ToArray();

        Assert.Equal(GgufError.Truncated, FailsAllocatingLittle(bytes).Error);
    }

    [Fact]
    public void raised_limits_still_refuse_claims_no_file_can_hold_without_overflowing()
    {
        var unlimited = GgufLimits.Default with { MaxTensors = long.MaxValue, MaxArrayLength = long.MaxValue };
        var tensors = new Raw().Header(tensors: ulong.MaxValue / 2).ToArray();
        var array = new Raw().Header(kvs: 1).Str("k").U32((uint)GgufValueType.Array)
            .U32((uint)GgufValueType.Array).U64(ulong.MaxValue / 4).ToArray();

        Assert.Equal(GgufError.Truncated, Fails(tensors, unlimited).Error);
        Assert.Equal(GgufError.CountTooLarge, Fails(array, unlimited).Error);
    }

    [Fact]
    public void arrays_nested_past_the_depth_limit_are_refused()
    {
        var raw = new Raw().Header(kvs: 1).Str("k").U32((uint)GgufValueType.Array);
        for (var i = 0; i < 20; i++) raw.U32((uint)GgufValueType.Array).U64(1);

        Assert.Equal(GgufError.NestingTooDeep, Fails(raw.U32((uint)GgufValueType.UInt8).U64(0).ToArray()).Error);
    }

    [Fact]
    public void invalid_utf8_in_a_key_is_refused()
    {
        var bytes = new Raw().Header(kvs: 1).U64(2).Bytes(0xC3, 0x28).U32((uint)GgufValueType.UInt8).Bytes(1).ToArray();

        Assert.Equal((GgufError.InvalidUtf8, (long)HeaderBytes), (Fails(bytes).Error, Fails(bytes).Offset));
    }

    [Fact]
    public void invalid_utf8_in_a_string_value_is_refused()
    {
        var bytes = new Raw().Header(kvs: 1).Str("general.license").U32((uint)GgufValueType.String)
            .U64(3).Bytes(0x61, 0xFF, 0x62).ToArray();

        Assert.Equal(GgufError.InvalidUtf8, Fails(bytes).Error);
    }

    [Theory]
    [InlineData(13u)]
    [InlineData(uint.MaxValue)]
    public void an_unknown_value_type_is_refused_at_its_field(uint type)
    {
        var bytes = new Raw().Header(kvs: 1).Str("k").U32(type).U64(0).ToArray();

        Assert.Equal((GgufError.UnknownValueType, HeaderBytes + 9L), (Fails(bytes).Error, Fails(bytes).Offset));
    }

    [Fact]
    public void an_unknown_array_element_type_is_refused()
    {
        var bytes = new Raw().Header(kvs: 1).Str("k").U32((uint)GgufValueType.Array).U32(42).U64(0).ToArray();

        Assert.Equal(GgufError.UnknownValueType, Fails(bytes).Error);
    }

    [Fact]
    public void a_bool_that_is_neither_0_nor_1_is_refused()
    {
        var bytes = new Raw().Header(kvs: 1).Str("k").U32((uint)GgufValueType.Bool).Bytes(2).ToArray();

        Assert.Equal(GgufError.InvalidBool, Fails(bytes).Error);
    }

    [Fact]
    public void a_key_that_appears_twice_is_refused_at_its_second_occurrence()
    {
        var raw = new Raw().Header(kvs: 2).Str("general.license").U32((uint)GgufValueType.String).Str("mit");
        var second = raw.Position;
        var bytes = raw.Str("general.license").U32((uint)GgufValueType.String).Str("apache-2.0").ToArray();

        Assert.Equal((GgufError.DuplicateKey, second), (Fails(bytes).Error, Fails(bytes).Offset));
    }

    [Fact]
    public void an_empty_key_is_refused()
    {
        var bytes = new Raw().Header(kvs: 1).Str("").U32((uint)GgufValueType.UInt8).Bytes(0).ToArray();

        Assert.Equal(GgufError.EmptyKey, Fails(bytes).Error);
    }

    [Theory]
    [InlineData(false, 0u)]
    [InlineData(false, 48u)]
    [InlineData(true, 32u)]
    public void an_alignment_that_is_not_a_uint32_power_of_two_is_refused(bool asUInt64, uint value)
    {
        var raw = new Raw().Header(kvs: 1).Str("general.alignment").U32((uint)(asUInt64 ? GgufValueType.UInt64 : GgufValueType.UInt32));
        var bytes = (asUInt64 ? raw.U64(value) : raw.U32(value)).ToArray();

        Assert.Equal((GgufError.BadAlignment, (long)HeaderBytes), (Fails(bytes).Error, Fails(bytes).Offset));
    }

    [Theory]
    [InlineData(4u)] // Q4_2, removed
    [InlineData(31u)] // Q4_0_4_4, removed from files
    [InlineData(43u)] // GGML_TYPE_COUNT
    [InlineData(uint.MaxValue)]
    public void an_unknown_ggml_type_is_refused_at_its_field(uint type)
    {
        var bytes = Tensor("t", [32], type, offset: 0, dataBytes: 128);

        var e = Fails(bytes);

        Assert.Equal((GgufError.UnknownTensorType, HeaderBytes + 9L + 4 + 8), (e.Error, e.Offset));
    }

    [Fact]
    public void more_than_four_dimensions_are_refused()
    {
        var bytes = Tensor("t", [1, 1, 1, 1, 1], (uint)GgmlType.F32, offset: 0, dataBytes: 4);

        Assert.Equal(GgufError.TooManyDimensions, Fails(bytes).Error);
    }

    [Theory]
    [InlineData(1UL << 32, 1UL << 32)]
    [InlineData(ulong.MaxValue, 1UL)]
    [InlineData(3UL, 1UL << 62)]
    public void an_element_count_that_overflows_is_refused(ulong d0, ulong d1)
    {
        var bytes = Tensor("t", [d0, d1], (uint)GgmlType.I8, offset: 0, dataBytes: 32);

        Assert.Equal(GgufError.Overflow, Fails(bytes).Error);
    }

    [Fact]
    public void a_byte_size_that_overflows_is_refused()
    {
        var bytes = Tensor("t", [1UL << 31, 1UL << 31], (uint)GgmlType.F64, offset: 0, dataBytes: 32);

        Assert.Equal(GgufError.Overflow, Fails(bytes).Error);
    }

    [Fact]
    public void a_row_that_is_not_a_whole_number_of_blocks_is_refused()
    {
        var bytes = Tensor("t", [33, 1], (uint)GgmlType.Q4_0, offset: 0, dataBytes: 64);

        Assert.Equal(GgufError.InvalidShape, Fails(bytes).Error);
    }

    [Theory]
    [InlineData(0UL, 4 * 1024)] // data larger than the file
    [InlineData(1UL << 20, 4)] // offset past the end
    [InlineData(ulong.MaxValue - 31, 4)] // offset that wraps around
    [InlineData((ulong)long.MaxValue - 31, 4)] // offset whose end overflows
    public void tensor_data_outside_the_file_is_refused(ulong offset, int claimedBytes)
    {
        var bytes = Tensor("t", [(ulong)claimedBytes], (uint)GgmlType.I8, offset, dataBytes: 64);

        var e = Fails(bytes);

        Assert.Equal((GgufError.TensorOutOfBounds, (long)HeaderBytes), (e.Error, e.Offset));
    }

    [Fact]
    public void a_tensor_offset_off_the_alignment_is_refused()
    {
        var bytes = Tensor("t", [4], (uint)GgmlType.I8, offset: 4, dataBytes: 64);

        Assert.Equal(GgufError.MisalignedTensor, Fails(bytes).Error);
    }

    [Fact]
    public void a_tensor_name_that_appears_twice_is_refused()
    {
        var bytes = new Raw().Header(tensors: 2)
            .Str("t").U32(1).U64(4).U32((uint)GgmlType.I8).U64(0)
            .Str("t").U32(1).U64(4).U32((uint)GgmlType.I8).U64(32)
            .Pad().Bytes(new byte[64]).ToArray();

        Assert.Equal(GgufError.DuplicateTensorName, Fails(bytes).Error);
    }

    [Fact]
    public void a_header_larger_than_its_budget_is_refused()
    {
        var bytes = GgufReaderTests.EveryValueType().ToArray();

        var e = Fails(bytes, GgufLimits.Default with { MaxHeaderBytes = 200 });

        Assert.Equal(GgufError.HeaderTooLarge, e.Error);
    }

    private static byte[] Tensor(string name, ulong[] dims, uint type, ulong offset, int dataBytes)
    {
        var raw = new Raw().Header(tensors: 1).Str(name).U32((uint)dims.Length);
        foreach (var d in dims) raw.U64(d);
        return raw.U32(type).U64(offset).Pad().Bytes(new byte[dataBytes]).ToArray();
    }

    private static GgufFormatException Fails(byte[] bytes, GgufLimits? limits = null) =>
        Assert.Throws<GgufFormatException>(() => GgufReader.Read(new MemoryStream(bytes), limits));

    // A claim of millions of elements in a file of a few bytes must be refused by arithmetic, not by an allocation.
    private static GgufFormatException FailsAllocatingLittle(byte[] bytes)
    {
        var stream = new MemoryStream(bytes);
        GgufReader.Read(new MemoryStream(GgufReaderTests.EveryValueType().ToArray())); // warm the buffer pool
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<GgufFormatException>(() => GgufReader.Read(stream));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 256 * 1024);
        return e;
    }

    /// <summary>Byte-level GGUF for files the writer would never produce.</summary>
    private sealed class Raw
    {
        private readonly MemoryStream _bytes = new();
        private readonly BinaryWriter _w;

        public Raw() => _w = new BinaryWriter(_bytes);

        public long Position => _bytes.Position;

        public Raw Header(uint version = 3, ulong tensors = 0, ulong kvs = 0) => Bytes("GGUF"u8.ToArray()).U32(version).U64(tensors).U64(kvs);
        public Raw Bytes(params byte[] bytes) { _w.Write(bytes); return this; }
        public Raw U32(uint v) { _w.Write(v); return this; }
        public Raw U64(ulong v) { _w.Write(v); return this; }
        public Raw Str(string s) => U64((ulong)Encoding.UTF8.GetByteCount(s)).Bytes(Encoding.UTF8.GetBytes(s));
        public Raw Pad() => Bytes(new byte[(32 - _bytes.Position % 32) % 32]);
        public byte[] ToArray() => _bytes.ToArray();
    }
}
