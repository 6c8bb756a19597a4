using System.Text;

namespace Switchboard.LoadTests.Benchmarks;

/// <summary>
/// Where a benchmark keeps its store files (under <c>--data-dir</c>, else the temp folder) and which file system that
/// is. The header names it, because the store's latency tail is the file system's flush: a figure measured on tmpfs,
/// where nothing is flushed, must never be read as one measured on a disk.
/// </summary>
internal static class DataFolder
{
    /// <summary>The folder a run makes its own folders under: <paramref name="dataDir"/>, or the temp folder.</summary>
    public static string Root(string? dataDir) => Path.GetFullPath(dataDir ?? Path.GetTempPath());

    /// <summary>The folder and its file system, e.g. <c>/tmp (ext4)</c>; the type is left out where it cannot be read.</summary>
    public static string Describe(string folder)
    {
        var full = Path.GetFullPath(folder);
        string? type = null;
        try
        {
            type = OperatingSystem.IsLinux() ? FileSystemOf(full, File.ReadAllText("/proc/mounts")) : null;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return type is null ? full : $"{full} ({type})";
    }

    /// <summary>
    /// The type of the file system <paramref name="path"/> (absolute) lies on, by the longest mount point of
    /// <paramref name="mounts"/> (the text of /proc/mounts) that contains it; null when none does.
    /// </summary>
    public static string? FileSystemOf(string path, string mounts)
    {
        string? best = null;
        var bestLength = -1;
        foreach (var line in mounts.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            if (fields.Length < 3)
            {
                continue;
            }

            var mountPoint = Unescape(fields[1]);
            var contains = mountPoint == "/"
                || path == mountPoint
                || path.StartsWith(mountPoint + "/", StringComparison.Ordinal);
            // A later line for the same mount point is mounted over the earlier one, so >= keeps the last.
            if (contains && mountPoint.Length >= bestLength)
            {
                best = fields[2];
                bestLength = mountPoint.Length;
            }
        }

        return best;
    }

    // /proc/mounts writes space, tab, newline and backslash in a path as \040, \011, \012 and \134.
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsOctal(string text, int start) =>
        start + 3 <= text.Length && text.AsSpan(start, 3).IndexOfAnyExceptInRange('0', '7') < 0;
}
