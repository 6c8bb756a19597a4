using Orleans;
using Switchboard.Routing.Configuration;

namespace Switchboard.Gateway.Security;

/// <summary>The organisation as the center grain's configuration has it.</summary>
internal sealed class CenterAgentDirectory(IGrainFactory grains) : IAgentDirectory
{
    private ICenterGrain Center => grains.GetGrain<ICenterGrain>(ICenterGrain.Key);

    public async ValueTask<AgentPlacement?> FindAgentAsync(string agentId, CancellationToken cancellationToken)
    {
        var center = (await Center.GetAsync()).Configuration;
        return center.AgentsById.TryGetValue(agentId, out var agent)
            ? new AgentPlacement(agent.AgentId, agent.TeamId, center.TeamsById.TryGetValue(agent.TeamId, out var team) ? team.VendorId : agent.VendorId)
            : null;
    }

    public async ValueTask<string?> FindTeamVendorAsync(string teamId, CancellationToken cancellationToken)
    {
        var center = (await Center.GetAsync()).Configuration;
        return center.TeamsById.TryGetValue(teamId, out var team) ? team.VendorId : null;
    }

    public async ValueTask<bool> VendorExistsAsync(string vendorId, CancellationToken cancellationToken) =>
        (await Center.GetAsync()).Configuration.VendorsById.ContainsKey(vendorId);
}
