using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Switchboard.Routing.Configuration;

/// <summary>
/// Loads a center configuration from YAML (<c>.yaml</c>, <c>.yml</c>) or JSON (<c>.json</c>) and validates
/// it completely: unknown references, duplicate ids, out-of-range values. All problems are reported at
/// once in a <see cref="CenterConfigurationException"/>; nothing partial is ever returned.
/// </summary>
public static class CenterConfigurationLoader
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads and validates the file at <paramref name="path"/>; the format follows its extension.</summary>
    public static CenterConfiguration Load(string path)
    {
        var format = FormatOf(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CenterConfigurationException(path, [new ConfigurationProblem("(file)", $"cannot be read: {e.Message}")], e);
        }

        return Parse(text, format, path);
    }

    /// <summary>The format a file name asks for; refuses an unknown extension.</summary>
    public static CenterConfigurationFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".yaml" or ".yml" => CenterConfigurationFormat.Yaml,
        ".json" => CenterConfigurationFormat.Json,
        var other => throw new CenterConfigurationException(path,
            [new ConfigurationProblem("(file)", $"unknown extension '{other}': use .yaml, .yml or .json")]),
    };

    /// <summary>Parses and validates <paramref name="text"/>; <paramref name="fileName"/> is used in error messages.</summary>
    public static CenterConfiguration Parse(string text, CenterConfigurationFormat format, string fileName)
    {
        var file = Deserialize(text, format, fileName) ?? new CenterFile();
        var validator = new CenterConfigurationValidator();
        var configuration = validator.Validate(file);
        if (validator.Problems.Count > 0)
        {
            throw new CenterConfigurationException(fileName, validator.Problems);
        }

        return configuration;
    }

    private static CenterFile? Deserialize(string text, CenterConfigurationFormat format, string fileName)
    {
        try
        {
            if (format == CenterConfigurationFormat.Json)
            {
                return JsonSerializer.Deserialize<CenterFile>(text, JsonOptions);
            }

            var deserializer = new DeserializerBuilder()
                .WithNamingConvention(CamelCaseNamingConvention.Instance)
                .Build();
            return deserializer.Deserialize<CenterFile>(text);
        }
        catch (YamlException e)
        {
            var message = e.InnerException?.Message ?? e.Message;
            throw new CenterConfigurationException(fileName,
                [new ConfigurationProblem($"(line {e.Start.Line}, column {e.Start.Column})", message)], e);
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 0 } p ? p.TrimStart('$', '.') : "(document)";
            throw new CenterConfigurationException(fileName,
                [new ConfigurationProblem($"{where} (line {e.LineNumber + 1})", e.Message)], e);
        }
    }
}
