namespace Switchboard.Routing;

/// <summary>
/// A request named a queue, agent, call, skill, team, vendor, reason code, offer or instruction that does not
/// exist. <see cref="RoutingException.Code"/> is <c>unknown-{kind}</c>; the gateway maps it to NOT_FOUND.
/// </summary>
[GenerateSerializer, Alias("sb.RoutingNotFoundException")]
public sealed class RoutingNotFoundException : RoutingException
{
    public RoutingNotFoundException(string kind, string id, string? detail = null)
        : base($"unknown-{kind}", detail is null ? $"unknown {kind} '{id}'" : $"unknown {kind} '{id}': {detail}")
    {
        Kind = kind;
        Id = id;
    }

    /// <summary>What was not found: <c>queue</c>, <c>agent</c>, <c>call</c>, <c>skill</c>, <c>offer</c>...</summary>
    [Id(0)]
    public string Kind { get; }

    /// <summary>The id that was not found.</summary>
    [Id(1)]
    public string Id { get; }
}
