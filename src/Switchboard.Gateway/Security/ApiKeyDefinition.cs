namespace Switchboard.Gateway.Security;

/// <summary>One API key as configured under <c>Switchboard:Gateway:ApiKeys</c>.</summary>
public sealed class ApiKeyDefinition
{
    /// <summary>The secret the client sends as <c>authorization: Bearer &lt;key&gt;</c>.</summary>
    public string Key { get; set; } = "";

    /// <summary>The role: <c>adapter</c>, <c>agent</c>, <c>supervisor</c> or <c>admin</c>.</summary>
    public GatewayRole Role { get; set; }

    /// <summary>For role agent: the agent the key acts for (required).</summary>
    public string? AgentId { get; set; }

    /// <summary>For role supervisor: the vendor in scope (this or <see cref="TeamId"/>).</summary>
    public string? VendorId { get; set; }

    /// <summary>For role supervisor: the team in scope (this or <see cref="VendorId"/>).</summary>
    public string? TeamId { get; set; }

    /// <summary>For role adapter: the adapter id the key is bound to; empty: any adapter id.</summary>
    public string? AdapterId { get; set; }

    /// <summary>A name for logs ("fs-03 adapter", "billing supervisors"); never the key itself.</summary>
    public string? Name { get; set; }
}
