using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Journal;
using Switchboard.Routing.Topics;

namespace Switchboard.Routing.Hosting;

/// <summary>The services the routing grains share inside a silo.</summary>
internal static class RoutingServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<CenterDirectory>();
        services.TryAddSingleton<CenterSync>();
        services.TryAddSingleton<ITopicHub, TopicHub>();
        services.TryAddSingleton<IEventJournal, InMemoryEventJournal>();
        services.TryAddSingleton<IAttributeToFactoryMapper<GrainJournalAttribute>, GrainJournalAttributeMapper>();
        services.AddSingleton<RoutingStartup>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => provider.GetRequiredService<RoutingStartup>());
    }
}
