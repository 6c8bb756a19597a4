using System.Diagnostics;

namespace Switchboard.Grpc.Tests.Infrastructure;

/// <summary>Runs a peer program (node, python) to completion and captures what it printed.</summary>
public static class ExternalProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan limit)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            // A hung peer must not hang the test run; what it printed so far explains where it stuck.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return new Result(process.HasExited ? process.ExitCode : -1, await output, await error);
    }

    /// <summary>The repository's tests/interop folder, found by walking up from the test binaries.</summary>
    public static string InteropDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "interop");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"tests/interop not found above {AppContext.BaseDirectory}.");
    }
}
