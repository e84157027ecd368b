using OxyPlot;
using SkiaSharp;
using SkiaPng = OxyPlot.SkiaSharp.PngExporter;
using SkiaSvg = OxyPlot.SkiaSharp.SvgExporter;

namespace FederatedCare.Cli.Output;

/// <summary>
/// Writes a chart as PNG or SVG, chosen by the file's extension, both drawn by OxyPlot's SkiaSharp renderer so that
/// text is measured with the real font: the title, axis titles and legend rows sit where the layout put them in any
/// viewer (checked in Chromium and rsvg-convert). SVG text stays text (<c>&lt;text&gt;</c> with each glyph's position).
/// </summary>
public static class ChartFile
{
    /// <summary>The extensions <see cref="Write"/> accepts.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".svg"];

    /// <summary>Null when <paramref name="path"/> names a chart file this class writes, else one line saying why not.</summary>
    public static string? Problem(string path) =>
        Extensions.Contains(Path.GetExtension(path).ToLowerInvariant())
            ? null
            : $"'{path}': a chart is written as .png or .svg; the file name's extension picks which";

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/>: SVG at <see cref="ChartStyle.Width"/> ×
    /// <see cref="ChartStyle.Height"/> user units, PNG at twice that in pixels (192 dpi).
    /// </summary>
    /// <exception cref="ArgumentException">The extension is neither .png nor .svg.</exception>
    /// <exception cref="InvalidDataException">PNG only: the machine has no font to draw text with.</exception>
    public static void Write(PlotModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (Problem(path) is { } problem) throw new ArgumentException(problem, nameof(path));
        bool png = Path.GetExtension(path).Equals(".png", StringComparison.OrdinalIgnoreCase);
        if (png) RequireFont(model.DefaultFont);
        using var file = File.Create(path);
        if (png)
            new SkiaPng { Width = 2 * ChartStyle.Width, Height = 2 * ChartStyle.Height, Dpi = 192, UseTextShaping = false }.Export(model, file);
        else
            new SkiaSvg { Width = ChartStyle.Width, Height = ChartStyle.Height }.Export(model, file);
    }

    /// <summary>
    /// A PNG's text is drawn from a font file: without one Skia draws none and the chart would silently have no labels.
    /// (An SVG names its font; the viewer draws the text.)
    /// </summary>
    private static void RequireFont(string family)
    {
        using var typeface = SKTypeface.FromFamilyName(family);
        if (typeface is null || typeface.GlyphCount == 0)
            throw new InvalidDataException(
                "No font to draw the PNG's text with: install one under /usr/share/fonts (Debian: apt-get install fonts-dejavu-core), or write .svg.");
    }
}
