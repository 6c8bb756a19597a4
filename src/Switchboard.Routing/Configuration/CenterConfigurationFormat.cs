namespace Switchboard.Routing.Configuration;

/// <summary>The syntax of a center configuration file, chosen by its extension.</summary>
public enum CenterConfigurationFormat
{
    Yaml,
    Json,
}
