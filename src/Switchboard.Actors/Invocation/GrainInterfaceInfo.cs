using System.Reflection;
using Switchboard.Actors.Activation;

namespace Switchboard.Actors.Invocation;

/// <summary>A grain interface, prepared once: its methods and a factory for its proxy type.</summary>
internal sealed class GrainInterfaceInfo
{
    private readonly Dictionary<MethodInfo, GrainMethod> _methods = new();
    private readonly GrainReference _prototype;

    internal GrainInterfaceInfo(Type interfaceType, GrainClassInfo grainClass)
    {
        InterfaceType = interfaceType;
        GrainClass = grainClass;
        foreach (var type in new[] { interfaceType }.Concat(interfaceType.GetInterfaces()))
        {
            if (type == typeof(IGrain) || type == typeof(IGrainWithStringKey) || type == typeof(IGrainWithGuidKey) || type == typeof(IGrainWithIntegerKey))
            {
                continue;
            }
            foreach (var method in type.GetMethods())
            {
                _methods[method] = GrainMethod.Create(method);
            }
        }
        // DispatchProxy generates one proxy type per interface; references are shallow copies of a prototype,
        // which is much cheaper than DispatchProxy.Create on every GetGrain.
        _prototype = (GrainReference)DispatchProxy.Create(interfaceType, typeof(GrainReference));
    }

    internal Type InterfaceType { get; }

    internal GrainClassInfo GrainClass { get; }

    internal GrainMethod GetMethod(MethodInfo method) =>
        _methods.TryGetValue(method, out var grainMethod)
            ? grainMethod
            : throw new InvalidOperationException($"{method.DeclaringType?.Name}.{method.Name} is not a method of grain interface {InterfaceType.Name}.");

    internal GrainReference CreateReference(GrainRuntime runtime, GrainId grainId)
    {
        var reference = _prototype.Copy();
        reference.Initialize(runtime, this, grainId);
        return reference;
    }
}
