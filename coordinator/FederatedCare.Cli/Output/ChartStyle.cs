using OxyPlot;
using OxyPlot.Legends;

namespace FederatedCare.Cli.Output;

/// <summary>
/// The look every chart of the CLI shares: white background, DejaVu Sans (the font Debian and most Linux systems
/// ship; other systems substitute their default sans-serif), a title with an optional subtitle, the legend outside
/// the plot area at the top right, one row per series, as wide as its longest label (nothing is cut), and series told
/// apart by colour and marker, so that a grey-scale print still tells regions apart.
/// </summary>
/// <remarks>
/// No dashed or dotted lines: OxyPlot.SkiaSharp 2.2 leaves a dashed line's path effect on the paint it then draws text
/// with, and Skia's SVG canvas writes text drawn with a path effect as outlines, not <c>&lt;text&gt;</c> (the title
/// became a path). Lines are told apart by colour, thickness and marker instead.
/// </remarks>
public static class ChartStyle
{
    private static readonly OxyColor[] Colors =
        [.. new[] { "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442" }.Select(OxyColor.Parse)];

    private static readonly MarkerType[] Markers =
        [MarkerType.Circle, MarkerType.Square, MarkerType.Diamond, MarkerType.Triangle, MarkerType.Cross, MarkerType.Plus, MarkerType.Star];

    /// <summary>
    /// The colour and marker of the <paramref name="index"/>th series (from 0, cycling after 7): colours from Okabe and
    /// Ito's palette for colour-blind readers ("Color Universal Design", 2008), black left for the mean and yellow
    /// last (faint on white).
    /// </summary>
    public static (OxyColor Color, MarkerType Marker) Series(int index) => (Colors[index % Colors.Length], Markers[index % Markers.Length]);

    /// <summary>Solid light grid lines (dotted ones would also become thousands of tiny shapes in an SVG).</summary>
    public static OxyColor GridColor { get; } = OxyColor.FromRgb(0xDD, 0xDD, 0xDD);

    /// <summary>The font family the charts ask for.</summary>
    public const string Font = "DejaVu Sans";

    /// <summary>A chart's size in user units (SVG) or points (PNG, drawn at twice that in pixels).</summary>
    public const int Width = 800, Height = 500;

    /// <summary>An empty plot model in this style, with its legend; add axes and series.</summary>
    public static PlotModel Create(string title, string? subtitle = null)
    {
        var model = new PlotModel
        {
            Title = title,
            Subtitle = subtitle,
            TitleFontSize = 16,
            SubtitleFontSize = 12,
            DefaultFont = Font,
            DefaultFontSize = 12,
            Background = OxyColors.White,
            PlotAreaBorderColor = OxyColors.Gray,
        };
        model.Legends.Add(new Legend
        {
            LegendPlacement = LegendPlacement.Outside,
            LegendPosition = LegendPosition.RightTop,
            LegendOrientation = LegendOrientation.Vertical,
            LegendItemOrder = LegendItemOrder.Normal,
            LegendBorder = OxyColors.LightGray,
            LegendBackground = OxyColors.White,
            LegendSymbolLength = 24,
            LegendFontSize = 12,
        });
        return model;
    }
}
