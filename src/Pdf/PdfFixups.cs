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
/// </summary>
public static class PdfFixups
{
    public static void Write(Span<byte> pdf, PdfMetadata metadata, Stream output)
    {
        Offset(pdf, "/CreationDate (D:"u8, 14, "+00'00'"u8);
        Offset(pdf, "/ModDate (D:"u8, 14, "+00'00'"u8);
        Offset(pdf, "<xmp:CreateDate>"u8, 19, "+00:00"u8);
        Offset(pdf, "<xmp:ModifyDate>"u8, 19, "+00:00"u8);
        if (!metadata.PdfA)
        {
            output.Write(pdf);
            return;
        }

        int[] uuids = [Field(pdf, "<xmpMM:DocumentID>uuid:"u8), Field(pdf, "<xmpMM:InstanceID>uuid:"u8)];
        foreach (var at in uuids) pdf.Slice(at, 36).Fill((byte)'0');
        var (idStart, idEnd) = TrailerId(pdf);

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(pdf[..idStart]);
        sha.AppendData(pdf[idEnd..]);
        var hex = Convert.ToHexString(sha.GetHashAndReset().AsSpan(0, 16));
        var uuid = Encoding.ASCII.GetBytes(new Guid(hex).ToString("D"));
        foreach (var at in uuids) uuid.CopyTo(pdf.Slice(at, 36));

        output.Write(pdf[..idStart]);
        output.Write(Encoding.ASCII.GetBytes($"/ID [<{hex}> <{hex}>]"));
        output.Write(pdf[idEnd..]);
    }

    static void Offset(Span<byte> pdf, ReadOnlySpan<byte> marker, int skip, ReadOnlySpan<byte> utc)
    {
        var at = pdf.IndexOf(marker);
        if (at < 0) return;
        var offset = pdf.Slice(at + marker.Length + skip, utc.Length);
        if (offset[0] is not ((byte)'+' or (byte)'-')) throw Changed(marker);
        utc.CopyTo(offset);
    }

    static int Field(Span<byte> pdf, ReadOnlySpan<byte> marker)
    {
        var at = pdf.IndexOf(marker);
        return at < 0 ? throw Changed(marker) : at + marker.Length;
    }

    /// <summary>Skia ends the trailer dictionary with the /ID array: "/ID [...]>>\nstartxref".</summary>
    static (int Start, int End) TrailerId(Span<byte> pdf)
    {
        var trailer = pdf.LastIndexOf("trailer"u8);
        var startxref = pdf.LastIndexOf("startxref"u8);
        if (trailer < 0 || startxref < trailer) throw Changed("trailer"u8);
        var id = pdf[trailer..startxref].IndexOf("/ID ["u8);
        var close = pdf[trailer..startxref].LastIndexOf("]>>"u8);
        if (id < 0 || close < id) throw Changed("/ID ["u8);
        return (trailer + id, trailer + close + 1);
    }

    static InvalidOperationException Changed(ReadOnlySpan<byte> marker) =>
        new($"Unexpected PDF layout at '{Encoding.ASCII.GetString(marker)}'; SkiaSharp changed its PDF writer.");
}
