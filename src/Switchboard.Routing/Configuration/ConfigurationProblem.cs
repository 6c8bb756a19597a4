namespace Switchboard.Routing.Configuration;

/// <summary>One thing wrong in a configuration file: where (<c>agents[3].skills.billing</c>) and what.</summary>
public sealed record ConfigurationProblem(string Path, string Problem);
