using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using ScottPlot;
using SkiaSharp;

namespace DonorRegistry.Reporting;

/// <summary>
/// The font a chart is drawn with, and the language it is drawn in: a CJK font (given as a path or found through
/// fontconfig) lets Chinese labels and Chinese names render; without one, charts fall back to English labels and codes.
/// </summary>
/// <param name="Name">The font's name as ScottPlot knows it, or null for ScottPlot's default.</param>
/// <param name="Culture">The language the chart is drawn in (English when a Chinese chart has no CJK font).</param>
internal sealed record ChartFont(string? Name, ReportCulture Culture)
{
    private static readonly Dictionary<(string Path, int Index), string> Registered = [];
    private static readonly Lock Registering = new();
    private static readonly Lazy<(string Path, int Index)?> Installed = new(FindInstalled);

    /// <summary>Whether the font draws CJK text (names in the data may be shown).</summary>
    public bool Cjk => Name is not null;

    /// <summary>Checks the options and chooses the font and language, before anything is drawn.</summary>
    /// <exception cref="RegistryValidationException">The culture is unknown, or the font path does not exist or is not a font.</exception>
    public static ChartFont Resolve(ChartOptions? options, bool log = true)
    {
        options ??= new ChartOptions();
        var culture = ReportCulture.Get(options.Culture);
        (string Path, int Index)? face;
        if (options.FontPath is { } path)
        {
            face = Checked(path);
        }
        else
        {
            face = Installed.Value;
        }

        if (face is not { } found)
        {
            if (culture.IsChinese && log)
            {
                options.Logger?.LogWarning("No CJK font is installed (fontconfig lists none for :lang=zh; on Debian install fonts-noto-cjk) and no ChartOptions.FontPath was given: the chart is drawn with English labels.");
            }

            return new ChartFont(null, ReportCulture.English);
        }

        // ScottPlot's list of font resolvers is global and not thread-safe: one face is registered once, under a lock.
        lock (Registering)
        {
            if (!Registered.TryGetValue(found, out var name))
            {
                name = string.Create(CultureInfo.InvariantCulture, $"DonorRegistry CJK {Registered.Count + 1}");
                Fonts.FontResolvers.Add(new FaceResolver(name, found.Path, found.Index));
                Registered[found] = name;
            }

            return new ChartFont(name, culture);
        }
    }

    /// <summary>Applies the font to every text of a plot: title, axis labels, tick labels, legend.</summary>
    public void Apply(Plot plot)
    {
        if (Name is not null)
        {
            plot.Font.Set(Name);
            plot.Legend.FontName = Name;
        }

        // CJK glyphs reach past the height ScottPlot measures: move the left axis title in from the edge, the bottom
        // tick labels down from the frame, and give the legend's items room above and below.
        plot.Axes.Left.Label.OffsetX = 6;
        plot.Axes.Bottom.TickLabelStyle.OffsetY = Name is null ? 0 : 8;
        plot.Axes.Bottom.MinimumSize = Name is null ? 0 : 72;
        plot.Legend.Padding = new PixelPadding(10, 10, 8, 12);
        plot.Legend.InterItemPadding = new PixelPadding(0, 0, 4, 4);
    }

    /// <summary>The text to show for a name in the data: the name when the font draws it, else the code.</summary>
    public string Show(string? name, string code) => Cjk && !string.IsNullOrWhiteSpace(name) ? name : code;

    private static (string, int) Checked(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new RegistryValidationException(nameof(ChartOptions.FontPath), path, "is blank", "give the path of a .ttf, .otf or .ttc font file, or null to ask fontconfig");
        }

        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new RegistryValidationException(nameof(ChartOptions.FontPath), path, "does not exist", "give the path of a .ttf, .otf or .ttc font file, or null to ask fontconfig");
        }

        var head = new byte[4];
        int read;
        try
        {
            using var file = File.OpenRead(full);
            read = file.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RegistryValidationException(nameof(ChartOptions.FontPath), path, $"cannot be read ({e.Message})", "give the path of a font file this user can read");
        }

        var magic = read == 4 ? BitConverter.ToUInt32([head[3], head[2], head[1], head[0]]) : 0;
        var isFont = magic is 0x00010000 or 0x4F54544F /* OTTO */ or 0x74727565 /* true */ or 0x74746366 /* ttcf */;
        var index = isFont ? SimplifiedChineseFace(full) : -1;
        if (index < 0)
        {
            throw new RegistryValidationException(nameof(ChartOptions.FontPath), path, "is not a font", "give the path of a TrueType or OpenType font file (.ttf, .otf, .ttc)");
        }

        return (full, index);
    }

    // In a collection (.ttc), the face whose family names simplified Chinese (Noto Sans CJK SC), else the first.
    private static int SimplifiedChineseFace(string path)
    {
        var first = -1;
        for (var i = 0; i < 16; i++)
        {
            using var face = SKTypeface.FromFile(path, i);
            if (face is null)
            {
                break;
            }

            first = first < 0 ? i : first;
            if (face.FamilyName.Contains(" SC", StringComparison.Ordinal) || face.FamilyName.Contains("Simplified", StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return first;
    }

    // fontconfig's best simplified-Chinese sans face, kept only when it covers Chinese (fc-match always answers something).
    private static (string Path, int Index)? FindInstalled()
    {
        var best = Run("fc-match", "-f", "%{file}|%{index}", "Noto Sans CJK SC:lang=zh-cn");
        var chinese = Run("fc-list", ":lang=zh", "-f", "%{file}|%{index}\n");
        if (best is null || chinese is null || !chinese.Split('\n').Contains(best, StringComparer.Ordinal))
        {
            return null;
        }

        var bar = best.LastIndexOf('|');
        return File.Exists(best[..bar]) && int.TryParse(best[(bar + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? (best[..bar], index)
            : null;
    }

    private static string? Run(string program, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output.Trim() : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Gives ScottPlot one face of a font file under a name of its own.</summary>
    private sealed class FaceResolver(string name, string path, int index) : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            fontName == name ? SKTypeface.FromFile(path, index) : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            fontName == name ? SKTypeface.FromFile(path, index) : null;
    }
}
