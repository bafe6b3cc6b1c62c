using SkiaSharp;

namespace Governance.Pdf;

public enum TextAlign { Left, Center, Right }

/// <param name="LineHeight">Multiple of <paramref name="Size"/> one line occupies.</param>
public sealed record TextStyle(FontKind Font, float Size, SKColor Color, float LineHeight = 1.4f)
{
    public float LineSpacing => Size * LineHeight;
    public TextStyle WithColor(SKColor color) => this with { Color = color };
}

/// <summary>The one place text styles and colours are defined; blocks and reports refer to these names.</summary>
public static class Typography
{
    public static readonly SKColor Ink = new(0x1D, 0x24, 0x2C);
    public static readonly SKColor Muted = new(0x5F, 0x6B, 0x78);
    public static readonly SKColor Accent = new(0x1F, 0x4E, 0x79);
    public static readonly SKColor AccentLight = new(0x8F, 0xAF, 0xCC);
    public static readonly SKColor RuleColor = new(0xC9, 0xD1, 0xD9);
    public static readonly SKColor HairlineColor = new(0xE3, 0xE7, 0xEB);
    public static readonly SKColor HeaderFill = new(0xE8, 0xEE, 0xF4);
    public static readonly SKColor ZebraFill = new(0xF6, 0xF8, 0xFA);
    public static readonly SKColor CodeFill = new(0xF3, 0xF4, 0xF6);

    public static readonly TextStyle Title = new(FontKind.Bold, 20, Accent, 1.25f);
    public static readonly TextStyle Heading1 = new(FontKind.Bold, 14, Accent, 1.3f);
    public static readonly TextStyle Heading2 = new(FontKind.Bold, 11.5f, Ink, 1.3f);
    public static readonly TextStyle Heading3 = new(FontKind.Bold, 10, Ink, 1.3f);
    public static readonly TextStyle Body = new(FontKind.Regular, 9.5f, Ink);
    public static readonly TextStyle Strong = new(FontKind.Bold, 9.5f, Ink);
    public static readonly TextStyle Label = new(FontKind.Bold, 8.5f, Muted);
    public static readonly TextStyle Value = new(FontKind.Regular, 9, Ink);
    public static readonly TextStyle TableHeader = new(FontKind.Bold, 8, Ink, 1.3f);
    public static readonly TextStyle TableCell = new(FontKind.Regular, 8, Ink, 1.3f);
    public static readonly TextStyle Mono = new(FontKind.Mono, 7.5f, Ink, 1.35f);
    public static readonly TextStyle Small = new(FontKind.Regular, 7.5f, Muted, 1.3f);
    public static readonly TextStyle ChartLabel = new(FontKind.Regular, 7, Muted, 1.2f);

    public static TextStyle Heading(int level) => level switch { <= 1 => Heading1, 2 => Heading2, _ => Heading3 };
}
