using System.Globalization;
using SkiaSharp;

namespace Governance.Pdf;

public sealed record Bar(string Label, double Value);

/// <summary>Vertical bars from zero with a value axis of a few round ticks; negative values are drawn as zero.</summary>
public sealed record BarChart(string Title, IReadOnlyList<Bar> Bars, string Unit = "", float Height = 150) : Block
{
    internal override void Layout(Flow flow)
    {
        var title = Typography.Heading3;
        var small = Typography.ChartLabel;
        var face = flow.Fonts[small.Font];
        var titleHeight = Title.Length > 0 || Unit.Length > 0 ? title.LineSpacing + 4 : 0;
        flow.Gap(4);
        flow.Ensure(titleHeight + Height);
        var top = flow.Y;
        var ascent = small.Size * face.Ascent;
        if (titleHeight > 0)
        {
            var tf = flow.Fonts[title.Font];
            var baseline = top + (title.LineSpacing - title.Size * (tf.Ascent + tf.Descent)) / 2 + title.Size * tf.Ascent;
            flow.Text(flow.Left, baseline, Title, title, TextAlign.Left);
            flow.Text(flow.Right, baseline, Unit, Typography.Small, TextAlign.Right);
            top += titleHeight;
        }

        var (step, axisMax) = Ticks(Bars.Count == 0 ? 0 : Bars.Max(b => b.Value));
        var ticks = new List<(double Value, string Text)>();
        for (var i = 0; i * step <= axisMax + step / 2; i++) ticks.Add((i * step, Format(i * step, step)));
        var axisWidth = ticks.Max(t => face.Measure(t.Text, small.Size)) + 6;
        var (left, right) = (flow.Left + axisWidth, flow.Right);
        var plotTop = top + small.LineSpacing;
        var plotBottom = top + Height - titleHeight - small.LineSpacing - 3;
        float Y(double v) => plotBottom - (float)(Math.Max(v, 0) / axisMax) * (plotBottom - plotTop);

        foreach (var (value, text) in ticks)
        {
            var y = Y(value);
            if (value > 0) flow.Rule(left, y, right, y, Typography.HairlineColor);
            flow.Text(left - 4, y + ascent * 0.35f, text, small, TextAlign.Right);
        }

        if (Bars.Count > 0)
        {
            var slot = (right - left) / Bars.Count;
            var barWidth = Math.Min(slot * 0.62f, 42);
            var widestLabel = Bars.Max(b => face.Measure(face.Sanitize(b.Label), small.Size));
            var every = Math.Max(1, (int)Math.Ceiling((widestLabel + 4) / slot));
            for (var i = 0; i < Bars.Count; i++)
            {
                var (label, value) = (Bars[i].Label, Bars[i].Value);
                var cx = left + slot * (i + 0.5f);
                var y = Y(value);
                flow.Fill(new SKRect(cx - barWidth / 2, y, cx + barWidth / 2, plotBottom), Typography.Accent);
                var valueText = Format(value, 0);
                if (face.Measure(valueText, small.Size) <= slot) flow.Text(cx, y - 2.5f, valueText, small.WithColor(Typography.Ink), TextAlign.Center);
                if (i % every == 0) flow.Text(cx, plotBottom + 3 + ascent, label, small, TextAlign.Center);
            }
        }
        flow.Rule(left, plotBottom, right, plotBottom, Typography.Muted, 0.75f);
        flow.Y = top + Height - titleHeight;
        flow.Gap(10);
    }

    /// <summary>About five round steps (1, 2, 2.5 or 5 times a power of ten) that cover the largest value.</summary>
    internal static (double Step, double Max) Ticks(double max)
    {
        if (!(max > 0) || double.IsInfinity(max)) return (0.25, 1);
        var raw = max / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var n = raw / magnitude;
        var step = (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * magnitude;
        return (step, Math.Ceiling(max / step - 1e-9) * step);
    }

    static string Format(double value, double step)
    {
        var format = step > 0
            ? Math.Abs(step % 1) < 1e-9 ? "#,0" : "#,0.##"
            : Math.Abs(value) >= 100 ? "#,0" : Math.Abs(value) >= 10 ? "#,0.0" : "0.00";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }
}
