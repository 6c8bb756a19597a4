namespace Switchboard.Routing.Configuration;

/// <summary>
/// A run-time change of the center configuration was refused; the running configuration is unchanged.
/// <see cref="RoutingException.Code"/>: <c>invalid-configuration</c> (a value or reference is wrong: see
/// <see cref="Problems"/>), <c>in-use</c> (a remove would leave references: they are named),
/// <c>version-mismatch</c> (someone else changed it since the expected version).
/// </summary>
[GenerateSerializer, Alias("sb.CenterChangeException")]
public sealed class CenterChangeException : RoutingException
{
    public CenterChangeException(string code, IReadOnlyList<ConfigurationProblem> problems)
        : base(code, Describe(problems))
    {
        Problems = problems;
    }

    /// <summary>Every problem, each with the path of the field (<c>queues[billing].overflow</c>) and what is wrong.</summary>
    [Id(0)]
    public IReadOnlyList<ConfigurationProblem> Problems { get; }

    private static string Describe(IReadOnlyList<ConfigurationProblem> problems) =>
        string.Join("; ", problems.Select(p => $"{p.Path}: {p.Problem}"));
}
