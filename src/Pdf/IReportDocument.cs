namespace Governance.Pdf;

/// <summary>One report: a class fed its read model that composes blocks onto the builder.</summary>
public interface IReportDocument
{
    PdfMetadata Metadata { get; }
    void Compose(PdfDocumentBuilder document);
}

/// <param name="CreatedAt">Taken from the caller, never the clock, so the same report renders to the same bytes.</param>
public sealed record PdfMetadata(string Title, string Author, DateTimeOffset CreatedAt)
{
    public string Subject { get; init; } = "";
    public IReadOnlyList<string> Keywords { get; init; } = [];
    public DateTimeOffset? ModifiedAt { get; init; }
    public string Creator { get; init; } = "Governance";
    public string Producer { get; init; } = "Governance reports (SkiaSharp PDF)";

    /// <summary>Ask Skia for PDF/A-2b: XMP metadata, an sRGB output intent and a document ID (see the README for what that does not cover).</summary>
    public bool PdfA { get; init; } = true;
}

public readonly record struct PageInfo(int Number, int Total);
