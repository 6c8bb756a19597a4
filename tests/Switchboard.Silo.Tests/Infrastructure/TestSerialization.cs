using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Switchboard.Silo.Tests.Infrastructure;

/// <summary>Orleans' serializer and activators without a silo, for tests that drive a grain storage directly.</summary>
internal static class TestSerialization
{
    private static readonly Lazy<IServiceProvider> Services = new(() => new ServiceCollection().AddSerializer().BuildServiceProvider());

    public static IGrainStorageSerializer GrainStorageSerializer => new OrleansGrainStorageSerializer(Services.Value.GetRequiredService<Serializer>());

    public static IActivatorProvider Activators => Services.Value.GetRequiredService<IActivatorProvider>();
}
