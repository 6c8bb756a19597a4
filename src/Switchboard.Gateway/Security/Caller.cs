namespace Switchboard.Gateway.Security;

/// <summary>Who is calling, as their API key says.</summary>
internal sealed record Caller(GatewayRole Role, string Name, string? AgentId, string? VendorId, string? TeamId, string? AdapterId)
{
    public static Caller From(ApiKeyDefinition key) => new(
        key.Role,
        string.IsNullOrWhiteSpace(key.Name) ? key.Role.ToString().ToLowerInvariant() : key.Name!,
        Empty(key.AgentId),
        Empty(key.VendorId),
        Empty(key.TeamId),
        Empty(key.AdapterId));

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
