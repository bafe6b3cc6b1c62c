using System.Buffers.Binary;
using System.Text;
using CsCheck;
using Governance.Scanner.Safetensors;

namespace Governance.Scanner.Tests.Safetensors;

/// <summary>
/// Mutated valid files, byte-level and JSON-aware: the reader accepts them or refuses them with a
/// <see cref="SafetensorsFormatException"/>, nothing else, and never allocates much more than the header it was given.
/// CsCheck generators on a fixed PCG seed, so every run checks the same files.
/// </summary>
public sealed class SafetensorsFuzzTests
{
    private static readonly string[] Fragments =
        ["{", "}", "[", "]", ",", ":", "\"", "-1", "0", "1e308", "18446744073709551615", "9223372036854775807", "null", "true",
         "\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"", "\"F4\"", "\"BF16\"", "\\u0000", "\\ud800", " "];

    private static readonly Gen<(int Kind, int Position, int Value)> Mutation =
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue]);

    [Fact]
    public void mutated_files_are_read_or_refused_with_a_typed_error_and_never_allocate_much()
    {
        var valid = SafetensorsReaderTests.Small().ToArray();
        var window = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(valid);
        var pcg = new PCG(1, 20261202);
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < 3000; i++)
        {
            var mutations = Mutation.Array[1, 4].Generate(pcg, null, out _);
            var bytes = mutations.Aggregate(valid, (file, m) => Apply(file, window, m));

            var before = GC.GetAllocatedBytesForCurrentThread();
            string outcome;
            try
            {
                SafetensorsReader.Read(new MemoryStream(bytes));
                outcome = "read";
            }
            catch (SafetensorsFormatException e)
            {
                outcome = e.Error.ToString();
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {i} ({string.Join(", ", mutations)}) threw {e}");
                throw;
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 256 * 1024, $"iteration {i} allocated {allocated} bytes");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        Assert.True(outcomes.Count >= 6, string.Join(", ", outcomes.Select(o => $"{o.Key}={o.Value}")));
    }

    private static byte[] Apply(byte[] file, int window, (int Kind, int Position, int Value) m)
    {
        var at = m.Position % Math.Max(1, Math.Min(window, file.Length));
        switch (m.Kind)
        {
            case 0: // flip a byte
                if (file.Length == 0) return file;
                var flipped = (byte[])file.Clone();
                flipped[at] = (byte)m.Value;
                return flipped;
            case 1: // splice in a JSON fragment, keeping the claimed header length (so the JSON itself is what breaks)
                var fragment = Encoding.UTF8.GetBytes(Fragments[m.Value % Fragments.Length]);
                var spliced = file.Take(at).Concat(fragment).Concat(file.Skip(Math.Min(file.Length, at + fragment.Length))).ToArray();
                return spliced.Length == file.Length ? spliced : spliced[..file.Length];
            case 2: // a hostile header length
                var lengths = new[] { 0UL, 1UL, 7UL, (ulong)window, (ulong)file.Length, 100_000_000UL, ulong.MaxValue, (ulong)m.Value };
                var claimed = (byte[])file.Clone();
                if (claimed.Length >= 8) BinaryPrimitives.WriteUInt64LittleEndian(claimed, lengths[m.Value % lengths.Length]);
                return claimed;
            case 3: // truncate
                return file[..(m.Value % (file.Length + 1))];
            default: // delete a run inside the header
                var end = Math.Min(file.Length, at + 1 + m.Value % 16);
                return [.. file[..at], .. file[end..]];
        }
    }
}
