using System.Security.Cryptography;
using System.Text;

namespace Governance.Pdf;

/// <summary>
/// Skia writes two things that vary between runs or hosts:
/// <list type="bullet">
/// <item>the zone offset of the dates: SkiaSharp derives it from the host's time zone, wrongly (Kolkata becomes
/// +05'00', New York +20'00'). We pass UTC, so the offset is rewritten to +00'00', in place at the same length;</item>
/// <item>with PDF/A, the XMP DocumentID/InstanceID and the trailer /ID, which Skia seeds with the current time.
/// They become a hash of the rest of the document: the UUIDs in place, the /ID by rewriting the trailer (it follows
/// the cross-reference table, so no offset moves; Skia writes it as a hex or a literal string, whichever is shorter).</item>
/// </list>
/// The document is patched where it lies (a temporary file for a report) and read in chunks, so a report of any
/// length costs the same memory.
/// </summary>
public static class PdfFixups
{
    const int Chunk = 64 * 1024;

    /// <summary>Patches <paramref name="pdf"/> (seekable, read-write) and copies the result to <paramref name="output"/>.</summary>
    public static void Write(Stream pdf, PdfMetadata metadata, Stream output)
    {
        ReadOnlySpan<byte> creation = "/CreationDate (D:"u8, modified = "/ModDate (D:"u8, xmpCreate = "<xmp:CreateDate>"u8, xmpModify = "<xmp:ModifyDate>"u8;
        ReadOnlySpan<byte> documentId = "<xmpMM:DocumentID>uuid:"u8, instanceId = "<xmpMM:InstanceID>uuid:"u8;
        var at = FindFirst(pdf, [creation.ToArray(), modified.ToArray(), xmpCreate.ToArray(), xmpModify.ToArray(), documentId.ToArray(), instanceId.ToArray()]);
        Offset(pdf, at[0], creation, 14, "+00'00'"u8);
        Offset(pdf, at[1], modified, 14, "+00'00'"u8);
        Offset(pdf, at[2], xmpCreate, 19, "+00:00"u8);
        Offset(pdf, at[3], xmpModify, 19, "+00:00"u8);
        if (!metadata.PdfA)
        {
            Copy(pdf, 0, pdf.Length, output);
            return;
        }

        long[] uuids = [Field(at[4], documentId), Field(at[5], instanceId)];
        foreach (var uuid in uuids) Put(pdf, uuid, "000000000000000000000000000000000000"u8);
        var (idStart, idEnd) = TrailerId(pdf);

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Hash(pdf, 0, idStart, sha);
        Hash(pdf, idEnd, pdf.Length, sha);
        var hex = Convert.ToHexString(sha.GetHashAndReset().AsSpan(0, 16));
        var id = Encoding.ASCII.GetBytes(new Guid(hex).ToString("D"));
        foreach (var uuid in uuids) Put(pdf, uuid, id);

        Copy(pdf, 0, idStart, output);
        output.Write(Encoding.ASCII.GetBytes($"/ID [<{hex}> <{hex}>]"));
        Copy(pdf, idEnd, pdf.Length, output);
    }

    static void Offset(Stream pdf, long at, ReadOnlySpan<byte> marker, int skip, ReadOnlySpan<byte> utc)
    {
        if (at < 0) return;
        var offset = at + marker.Length + skip;
        Span<byte> sign = stackalloc byte[1];
        pdf.Position = offset;
        pdf.ReadExactly(sign);
        if (sign[0] is not ((byte)'+' or (byte)'-')) throw Changed(marker);
        Put(pdf, offset, utc);
    }

    static long Field(long at, ReadOnlySpan<byte> marker) => at < 0 ? throw Changed(marker) : at + marker.Length;

    static void Put(Stream pdf, long at, ReadOnlySpan<byte> bytes)
    {
        pdf.Position = at;
        pdf.Write(bytes);
    }

    /// <summary>Where each marker first occurs (-1 if nowhere), in one pass over the document.</summary>
    static long[] FindFirst(Stream pdf, byte[][] markers)
    {
        var found = Enumerable.Repeat(-1L, markers.Length).ToArray();
        var overlap = markers.Max(m => m.Length) - 1;
        var buffer = new byte[Chunk + overlap];
        var (start, kept) = (0L, 0);
        pdf.Position = 0;
        while (found.Contains(-1))
        {
            var read = pdf.ReadAtLeast(buffer.AsSpan(kept, Chunk), Chunk, throwOnEndOfStream: false);
            var window = buffer.AsSpan(0, kept + read);
            for (var i = 0; i < markers.Length; i++)
                if (found[i] < 0 && window.IndexOf(markers[i]) is var hit and >= 0) found[i] = start + hit;
            if (read < Chunk) break;
            // Keep the tail so a marker that straddles two chunks is still seen whole.
            kept = Math.Min(overlap, window.Length);
            window[^kept..].CopyTo(buffer);
            start += window.Length - kept;
        }
        return found;
    }

    /// <summary>Skia ends the trailer dictionary with the /ID array: "/ID [...]>>\nstartxref", within the document's last bytes.</summary>
    static (long Start, long End) TrailerId(Stream pdf)
    {
        var tailStart = Math.Max(0, pdf.Length - 4096);
        var tail = new byte[pdf.Length - tailStart];
        pdf.Position = tailStart;
        pdf.ReadExactly(tail);
        var span = tail.AsSpan();
        var trailer = span.LastIndexOf("trailer"u8);
        var startxref = span.LastIndexOf("startxref"u8);
        if (trailer < 0 || startxref < trailer) throw Changed("trailer"u8);
        var id = span[trailer..startxref].IndexOf("/ID ["u8);
        var close = span[trailer..startxref].LastIndexOf("]>>"u8);
        if (id < 0 || close < id) throw Changed("/ID ["u8);
        return (tailStart + trailer + id, tailStart + trailer + close + 1);
    }

    static void Hash(Stream pdf, long from, long to, IncrementalHash sha) => Each(pdf, from, to, sha.AppendData);

    static void Copy(Stream pdf, long from, long to, Stream output) => Each(pdf, from, to, output.Write);

    static void Each(Stream pdf, long from, long to, Action<byte[], int, int> chunk)
    {
        var buffer = new byte[Chunk];
        pdf.Position = from;
        for (var left = to - from; left > 0;)
        {
            var read = pdf.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0) throw new EndOfStreamException();
            chunk(buffer, 0, read);
            left -= read;
        }
    }

    static InvalidOperationException Changed(ReadOnlySpan<byte> marker) =>
        new($"Unexpected PDF layout at '{Encoding.ASCII.GetString(marker)}'; SkiaSharp changed its PDF writer.");
}
