using Governance.Pdf;

namespace Governance.Pdf.Tests;

public sealed class TextLayoutTests
{
    static string Text(WrappedText wrapped, Line line) =>
        string.Concat(wrapped.Fragments.Skip(line.First).Take(line.Count).Select(f => f.Text));

    [Fact]
    public void lines_break_at_spaces_and_never_exceed_the_width()
    {
        var wrapped = TextLayout.Wrap("the quick brown fox jumps over the lazy dog again and again", Typography.Body, 100, Pdfs.Fonts);

        Assert.True(wrapped.Lines.Count > 2);
        Assert.All(wrapped.Lines, l => Assert.True(l.Width <= 100, $"{l.Width}"));
        Assert.Equal("the quick brown fox jumps over the lazy dog again and again", string.Join(' ', wrapped.Lines.Select(l => Text(wrapped, l))));
    }

    [Fact]
    public void a_word_wider_than_the_line_is_broken_by_character_and_loses_nothing()
    {
        var hash = string.Concat(Enumerable.Repeat("0123456789abcdef", 4));

        var wrapped = TextLayout.Wrap($"sha256:{hash}", Typography.Mono, 120, Pdfs.Fonts);

        Assert.True(wrapped.Lines.Count >= 3);
        Assert.All(wrapped.Lines, l => Assert.True(l.Width <= 120));
        Assert.Equal($"sha256:{hash}", string.Concat(wrapped.Lines.Select(l => Text(wrapped, l))));
    }

    [Fact]
    public void runs_keep_their_styles_on_a_shared_line()
    {
        var wrapped = TextLayout.Wrap([new Span("plain "), new Span("bold", Typography.Strong), new Span(" plain")], Typography.Body, 400, Pdfs.Fonts);

        Assert.Single(wrapped.Lines);
        Assert.Equal([FontKind.Regular, FontKind.Bold, FontKind.Regular], wrapped.Fragments.Select(f => f.Style.Font));
        Assert.Equal("plain bold plain", string.Concat(wrapped.Fragments.Select(f => f.Text)));
    }

    [Fact]
    public void tabs_and_carriage_returns_are_normalised()
    {
        var face = Pdfs.Fonts[FontKind.Regular];

        Assert.Equal("a b\nc\nd", face.Sanitize("a\tb\r\nc\rd"));
        Assert.Equal("x\uFFFDy", face.Sanitize("x😀y"));
    }

    [Theory]
    [InlineData(44.6, 10, 50)]
    [InlineData(0, 0.25, 1)]
    [InlineData(1234, 250, 1250)]
    [InlineData(7, 2, 8)]
    public void chart_axes_use_round_steps(double max, double step, double axisMax)
    {
        Assert.Equal((step, axisMax), BarChart.Ticks(max));
    }
}
