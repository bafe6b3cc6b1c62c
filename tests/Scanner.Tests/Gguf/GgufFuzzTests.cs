using System.Buffers.Binary;
using CsCheck;
using Governance.Scanner.Gguf;
using Governance.Scanner.Tests.TestModels;

namespace Governance.Scanner.Tests.Gguf;

/// <summary>
/// Mutated valid files: the reader may accept them or refuse them with a <see cref="GgufFormatException"/>, nothing
/// else, and no parse may allocate more than a few MB whatever the bytes claim. Inputs come from CsCheck generators
/// driven by a fixed PCG seed, so every run checks the same files and a failure names its iteration.
/// </summary>
public sealed class GgufFuzzTests
{
    private const long MaxAllocatedPerParse = 4 * 1024 * 1024;

    private abstract record Mutation
    {
        public abstract byte[] Apply(byte[] file, int window);
    }

    private sealed record Flip(int Position, byte Value) : Mutation
    {
        public override byte[] Apply(byte[] file, int window)
        {
            if (file.Length == 0) return file;
            var copy = (byte[])file.Clone();
            copy[Position % Math.Min(window, copy.Length)] = Value;
            return copy;
        }
    }

    // Writes a boundary value over whatever is there, which is how length and count fields get hostile values.
    private sealed record Overwrite(int Position, ulong Value, int Width) : Mutation
    {
        public override byte[] Apply(byte[] file, int window)
        {
            if (file.Length < Width) return file;
            var copy = (byte[])file.Clone();
            var at = Position % (Math.Min(window, copy.Length) - Width + 1);
            if (Width == 8) BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(at), Value);
            else BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at), (uint)Value);
            return copy;
        }
    }

    private sealed record Truncate(int Length) : Mutation
    {
        public override byte[] Apply(byte[] file, int window) => file[..(Length % (file.Length + 1))];
    }

    private sealed record Insert(int Position, byte[] Bytes) : Mutation
    {
        public override byte[] Apply(byte[] file, int window)
        {
            var at = Position % (Math.Min(window, file.Length) + 1);
            return [.. file[..at], .. Bytes, .. file[at..]];
        }
    }

    private sealed record Delete(int Position, int Count) : Mutation
    {
        public override byte[] Apply(byte[] file, int window)
        {
            var at = Position % (Math.Min(window, file.Length) + 1);
            var end = Math.Min(file.Length, at + Count);
            return [.. file[..at], .. file[end..]];
        }
    }

    private static readonly Gen<ulong> Boundary = Gen.Frequency(
        (3, (IGen<ulong>)Gen.OneOf(0UL, 1UL, 2UL, 7UL, 13UL, 31UL, 32UL, 33UL, 64UL, 0xFFUL, 0xFFFFUL, 0x7FFF_FFFFUL,
            0x8000_0000UL, 0xFFFF_FFFFUL, 1UL << 32, 1UL << 40, 50_000_001UL, (ulong)long.MaxValue, 1UL << 63, ulong.MaxValue)),
        (1, Gen.ULong));

    private static readonly Gen<Mutation> AnyMutation = Gen.Frequency(
        (5, (IGen<Mutation>)Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte, (p, b) => (Mutation)new Flip(p, b))),
        (4, Gen.Select(Gen.Int[0, int.MaxValue], Boundary, Gen.OneOf(4, 8), (p, v, w) => (Mutation)new Overwrite(p, v, w))),
        (1, Gen.Int[0, int.MaxValue].Select(n => (Mutation)new Truncate(n))),
        (2, Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte.Array[1, 16], (p, b) => (Mutation)new Insert(p, b))),
        (1, Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[1, 64], (p, n) => (Mutation)new Delete(p, n))));

    private static readonly Gen<Mutation[]> Mutations = AnyMutation.Array[1, 4];

    [Fact]
    public void mutated_files_are_read_or_refused_with_a_typed_error_and_never_allocate_much()
    {
        var file = GgufReaderTests.EveryValueType().ToArray();
        Fuzz(file, window: file.Length, iterations: 3000, seed: 20261122);
    }

    [Fact]
    public void mutated_llama_headers_are_read_or_refused_with_a_typed_error_and_never_allocate_much()
    {
        var file = TinyLlama.Build(new TinyLlamaOptions { Layers = 1, Embedding = 32, FeedForward = 64 }).ToArray();
        var header = GgufReader.Read(new MemoryStream(file)).DataOffset;
        Fuzz(file, window: (int)header, iterations: 1000, seed: 7);
    }

    private static void Fuzz(byte[] valid, int window, int iterations, ulong seed)
    {
        var pcg = new PCG(1, seed);
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < iterations; i++)
        {
            var mutations = Mutations.Generate(pcg, null, out _);
            var bytes = mutations.Aggregate(valid, (f, m) => m.Apply(f, window));
            var stream = new MemoryStream(bytes);

            var before = GC.GetAllocatedBytesForCurrentThread();
            string outcome;
            try
            {
                GgufReader.Read(stream);
                outcome = "read";
            }
            catch (GgufFormatException e)
            {
                Assert.InRange(e.Offset, 0, bytes.Length);
                outcome = e.Error.ToString();
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {i} ({string.Join(", ", mutations.Select(m => m.ToString()))}) threw {e}");
                throw;
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < MaxAllocatedPerParse, $"iteration {i} allocated {allocated} bytes");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        // The mutations must reach past the magic and the version, or the test proves little.
        Assert.True(outcomes.Count >= 5, string.Join(", ", outcomes.Select(o => $"{o.Key}={o.Value}")));
    }
}
