using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Governance.Scanner.Gguf;

/// <summary>
/// Little-endian reads over a seekable stream through one pooled buffer, so a header is parsed with a few large
/// reads and a multi-GB file is never loaded. Every claim of "N more bytes" is checked against the file's length
/// (and the header budget) before anything of size N is allocated.
/// </summary>
internal sealed class GgufByteReader : IDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private long _bufferStart; // file offset of _buffer[0]
    private int _filled;
    private int _index;

    public GgufByteReader(Stream stream, long headerLimit)
    {
        _stream = stream;
        _stream.Seek(0, SeekOrigin.Begin);
        Length = stream.Length;
        HeaderLimit = headerLimit;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    public long Length { get; }

    /// <summary>The offset past which the parser must not decode metadata or tensor infos.</summary>
    public long HeaderLimit { get; }

    public long Position => _bufferStart + _index;

    public long Remaining => Length - Position;

    public byte ReadByte() => Take(1)[0];
    public sbyte ReadSByte() => (sbyte)Take(1)[0];
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
    public short ReadInt16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2));
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));
    public float ReadSingle() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public bool ReadBool()
    {
        var at = Position;
        return ReadByte() switch
        {
            0 => false,
            1 => true,
            var b => throw new GgufFormatException(GgufError.InvalidBool, at, $"bool byte is {b}, must be 0 or 1"),
        };
    }

    /// <summary>A length-prefixed UTF-8 string; invalid UTF-8 is an error, never silently replaced.</summary>
    public string ReadString(int maxLength, string what)
    {
        var at = Position;
        var length = ReadUInt64();
        if (length > (ulong)maxLength)
            throw new GgufFormatException(GgufError.StringTooLong, at, $"{what} claims {length} bytes, limit is {maxLength}");
        Claim(at, length, 1, what);
        if (length == 0) return string.Empty;

        var n = (int)length;
        if (n <= BufferSize) return Decode(Take(n), at, what);

        var rented = ArrayPool<byte>.Shared.Rent(n);
        try
        {
            var span = rented.AsSpan(0, n);
            ReadExactly(span);
            return Decode(span, at, what);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Refuses a claim of <paramref name="count"/> items of at least <paramref name="bytesEach"/> bytes that the rest of
    /// the file (or the header budget) cannot hold. Divides rather than multiplies, so no claim can overflow.
    /// </summary>
    public void Claim(long at, ulong count, int bytesEach, string what)
    {
        var remaining = (ulong)Math.Max(Remaining, 0);
        if (count > remaining / (ulong)bytesEach)
            throw new GgufFormatException(GgufError.Truncated, at, $"{what} claims {count} × {bytesEach} bytes, only {remaining} remain");
        if (Position + (long)count * bytesEach > HeaderLimit)
            throw new GgufFormatException(GgufError.HeaderTooLarge, at, $"{what} would extend the header past {HeaderLimit} bytes");
    }

    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private static string Decode(ReadOnlySpan<byte> bytes, long at, string what) =>
        Utf8.IsValid(bytes)
            ? Encoding.UTF8.GetString(bytes)
            : throw new GgufFormatException(GgufError.InvalidUtf8, at, $"{what} is not valid UTF-8");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (_filled - _index < count) Fill(count);
        var span = new ReadOnlySpan<byte>(_buffer, _index, count);
        _index += count;
        return span;
    }

    private void Fill(int count)
    {
        var kept = _filled - _index;
        Buffer.BlockCopy(_buffer, _index, _buffer, 0, kept);
        _bufferStart += _index;
        _index = 0;
        _filled = kept + _stream.ReadAtLeast(_buffer.AsSpan(kept, BufferSize - kept), count - kept, throwOnEndOfStream: false);
        if (_filled < count)
            throw new GgufFormatException(GgufError.Truncated, Position, $"file ends {count - _filled} bytes short of a {count}-byte field");
    }

    private void ReadExactly(Span<byte> destination)
    {
        var at = Position;
        var buffered = Math.Min(_filled - _index, destination.Length);
        _buffer.AsSpan(_index, buffered).CopyTo(destination);
        _index += buffered;

        var rest = destination.Length - buffered;
        if (rest == 0) return;
        // The buffer is drained: read straight into the destination and restart the buffer after it.
        var read = _stream.ReadAtLeast(destination[buffered..], rest, throwOnEndOfStream: false);
        _bufferStart += _filled + read;
        _filled = _index = 0;
        if (read < rest)
            throw new GgufFormatException(GgufError.Truncated, at, $"file ends {rest - read} bytes short of a {destination.Length}-byte field");
    }
}
