namespace Switchboard.Routing.Configuration;

/// <summary>One thing wrong in a configuration file: where (<c>agents[3].skills.billing</c>) and what.</summary>
[GenerateSerializer, Immutable, Alias("sb.ConfigurationProblem")]
public sealed record ConfigurationProblem(string Path, string Problem);
