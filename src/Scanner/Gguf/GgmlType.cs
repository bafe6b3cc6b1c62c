namespace Governance.Scanner.Gguf;

/// <summary><c>enum ggml_type</c> as of llama.cpp v0.5.0 (<c>ggml/include/ggml.h</c>); ids 4, 5 and 31–33, 36–38 were removed.</summary>
#pragma warning disable CA1707 // the ggml names are what people search for
internal enum GgmlType : uint
{
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    IQ2_XXS = 16,
    IQ2_XS = 17,
    IQ3_XXS = 18,
    IQ1_S = 19,
    IQ4_NL = 20,
    IQ3_S = 21,
    IQ2_S = 22,
    IQ4_XS = 23,
    I8 = 24,
    I16 = 25,
    I32 = 26,
    I64 = 27,
    F64 = 28,
    IQ1_M = 29,
    BF16 = 30,
    TQ1_0 = 34,
    TQ2_0 = 35,
    MXFP4 = 39,
    NVFP4 = 40,
    Q1_0 = 41,
    Q2_0 = 42,
}
#pragma warning restore CA1707

/// <summary>Elements per block and bytes per block, from <c>GGML_QUANT_SIZES</c> in gguf-py's <c>constants.py</c>.</summary>
internal static class GgmlTypeLayout
{
    // Indexed by type id; (0, 0) marks an id that is not (or no longer) a type.
    private static readonly (int Block, int Bytes)[] Layouts = Build();

    public static bool TryGet(uint typeId, out int blockSize, out int typeSize)
    {
        if (typeId < Layouts.Length && Layouts[typeId].Block != 0)
        {
            (blockSize, typeSize) = Layouts[typeId];
            return true;
        }
        blockSize = typeSize = 0;
        return false;
    }

    private static (int, int)[] Build()
    {
        const int qkK = 256;
        var t = new (int, int)[43];
        t[(int)GgmlType.F32] = (1, 4);
        t[(int)GgmlType.F16] = (1, 2);
        t[(int)GgmlType.Q4_0] = (32, 2 + 16);
        t[(int)GgmlType.Q4_1] = (32, 2 + 2 + 16);
        t[(int)GgmlType.Q5_0] = (32, 2 + 4 + 16);
        t[(int)GgmlType.Q5_1] = (32, 2 + 2 + 4 + 16);
        t[(int)GgmlType.Q8_0] = (32, 2 + 32);
        t[(int)GgmlType.Q8_1] = (32, 2 + 2 + 32);
        t[(int)GgmlType.Q2_K] = (qkK, 2 + 2 + qkK / 16 + qkK / 4);
        t[(int)GgmlType.Q3_K] = (qkK, 2 + qkK / 4 + qkK / 8 + 12);
        t[(int)GgmlType.Q4_K] = (qkK, 2 + 2 + qkK / 2 + 12);
        t[(int)GgmlType.Q5_K] = (qkK, 2 + 2 + qkK / 2 + qkK / 8 + 12);
        t[(int)GgmlType.Q6_K] = (qkK, 2 + qkK / 2 + qkK / 4 + qkK / 16);
        t[(int)GgmlType.Q8_K] = (qkK, 4 + qkK + qkK / 8);
        t[(int)GgmlType.IQ2_XXS] = (qkK, 2 + qkK / 4);
        t[(int)GgmlType.IQ2_XS] = (qkK, 2 + qkK / 4 + qkK / 32);
        t[(int)GgmlType.IQ3_XXS] = (qkK, 2 + qkK / 4 + qkK / 8);
        t[(int)GgmlType.IQ1_S] = (qkK, 2 + qkK / 8 + qkK / 16);
        t[(int)GgmlType.IQ4_NL] = (32, 2 + 16);
        t[(int)GgmlType.IQ3_S] = (qkK, 2 + qkK / 4 + qkK / 8 + qkK / 32 + 4);
        t[(int)GgmlType.IQ2_S] = (qkK, 2 + qkK / 4 + qkK / 16);
        t[(int)GgmlType.IQ4_XS] = (qkK, 2 + 2 + qkK / 2 + qkK / 64);
        t[(int)GgmlType.I8] = (1, 1);
        t[(int)GgmlType.I16] = (1, 2);
        t[(int)GgmlType.I32] = (1, 4);
        t[(int)GgmlType.I64] = (1, 8);
        t[(int)GgmlType.F64] = (1, 8);
        t[(int)GgmlType.IQ1_M] = (qkK, qkK / 8 + qkK / 16 + qkK / 32);
        t[(int)GgmlType.BF16] = (1, 2);
        t[(int)GgmlType.TQ1_0] = (qkK, 2 + 4 * 13);
        t[(int)GgmlType.TQ2_0] = (qkK, 2 + 64);
        t[(int)GgmlType.MXFP4] = (32, 1 + 16);
        t[(int)GgmlType.NVFP4] = (64, 4 + 32);
        t[(int)GgmlType.Q1_0] = (128, 2 + 16);
        t[(int)GgmlType.Q2_0] = (64, 2 + 16);
        return t;
    }
}
