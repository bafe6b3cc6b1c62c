namespace Governance.Scanner.Gguf;

/// <summary><c>gguf_metadata_value_type</c> with the ids of the GGUF spec.</summary>
internal enum GgufValueType : uint
{
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
}

/// <summary>
/// One metadata value. <see cref="Value"/> holds the CLR type matching <see cref="Type"/> (byte, sbyte, ushort,
/// short, uint, int, float, bool, string, ulong, long, double) or a <see cref="GgufArray"/>.
/// </summary>
internal sealed record GgufValue(GgufValueType Type, object Value)
{
    public string? AsString() => Value as string;

    public GgufArray? AsArray() => Value as GgufArray;

    /// <summary>Any integer type, since writers disagree on uint32 vs uint64 for counts; null if it does not fit a long.</summary>
    public long? AsInteger() => Value switch
    {
        byte v => v,
        sbyte v => v,
        ushort v => v,
        short v => v,
        uint v => v,
        int v => v,
        ulong v => v <= long.MaxValue ? (long)v : null,
        long v => v,
        _ => null,
    };

    public override string ToString() => Value.ToString() ?? "";
}

/// <summary>
/// An array value. <see cref="Items"/> is a typed CLR array (e.g. <c>string[]</c>, <c>float[]</c>, <c>int[]</c>)
/// so a 260k-token vocabulary costs what its strings cost, not a boxed value per element; nested arrays are
/// <c>GgufArray[]</c>.
/// </summary>
internal sealed record GgufArray(GgufValueType ElementType, Array Items)
{
    public int Count => Items.Length;

    public override string ToString() => $"{ElementType}[{Count}]";
}
