namespace Switchboard.Routing.Configuration;

/// <summary>
/// A center configuration file was refused. Names the file, the path of the first problem inside it
/// (for example <c>queues[2].overflow.queue</c>) and the problem; <see cref="Problems"/> lists all of them.
/// The running configuration is not touched.
/// </summary>
public sealed class CenterConfigurationException : RoutingException
{
    public CenterConfigurationException(string file, IReadOnlyList<ConfigurationProblem> problems, Exception? inner = null)
        : base("invalid-configuration", Describe(file, problems), inner)
    {
        File = file;
        Problems = problems;
    }

    public string File { get; }

    /// <summary>Where the first problem is, inside the file.</summary>
    public string Path => Problems.Count > 0 ? Problems[0].Path : "";

    /// <summary>What the first problem is.</summary>
    public string Problem => Problems.Count > 0 ? Problems[0].Problem : "";

    public IReadOnlyList<ConfigurationProblem> Problems { get; }

    private static string Describe(string file, IReadOnlyList<ConfigurationProblem> problems)
    {
        if (problems.Count == 1)
        {
            return $"{file}: {problems[0].Path}: {problems[0].Problem}";
        }

        var lines = new System.Text.StringBuilder();
        lines.Append(file).Append(": ").Append(problems.Count).Append(" problems");
        foreach (var p in problems)
        {
            lines.Append("\n  ").Append(p.Path).Append(": ").Append(p.Problem);
        }

        return lines.ToString();
    }
}
