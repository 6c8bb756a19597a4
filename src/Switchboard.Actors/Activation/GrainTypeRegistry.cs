using System.Collections.Concurrent;
using System.Reflection;
using Switchboard.Actors.Invocation;

namespace Switchboard.Actors.Activation;

/// <summary>
/// Which grain class implements which grain interface, built from the assemblies the silo was given.
/// </summary>
internal sealed class GrainTypeRegistry
{
    private readonly Dictionary<Type, GrainClassInfo> _classByInterface = new();
    private readonly Dictionary<Type, List<Type>> _ambiguous = new();
    private readonly Dictionary<string, GrainClassInfo> _classByTypeName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, GrainInterfaceInfo> _interfaces = new();
    private readonly IReadOnlyCollection<Assembly> _assemblies;

    internal GrainTypeRegistry(IEnumerable<Assembly> assemblies, IEnumerable<Type> grainClasses, TimeSpan defaultCollectionAge)
    {
        _assemblies = assemblies.Distinct().ToArray();
        var classes = _assemblies.SelectMany(SafeTypes).Concat(grainClasses)
            .Where(t => t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false } && typeof(Grain).IsAssignableFrom(t))
            .Distinct();
        foreach (var classType in classes)
        {
            var info = new GrainClassInfo(classType, defaultCollectionAge);
            if (_classByTypeName.TryGetValue(info.TypeName, out var existing))
            {
                throw new InvalidOperationException(
                    $"Grain classes {existing.ClassType.FullName} and {classType.FullName} share the grain type name '{info.TypeName}'; give one a [GrainType(\"...\")].");
            }
            _classByTypeName.Add(info.TypeName, info);
            foreach (var grainInterface in classType.GetInterfaces().Where(IsGrainInterface))
            {
                if (_classByInterface.Remove(grainInterface, out var other))
                {
                    _ambiguous[grainInterface] = [other.ClassType, classType];
                }
                else if (_ambiguous.TryGetValue(grainInterface, out var list))
                {
                    list.Add(classType);
                }
                else
                {
                    _classByInterface[grainInterface] = info;
                }
            }
        }
    }

    internal IEnumerable<GrainClassInfo> Classes => _classByTypeName.Values;

    // Looked up on every grain reference: TryGetValue first, so the hot path allocates no delegate for GetOrAdd.
    internal GrainInterfaceInfo GetInterface(Type interfaceType) =>
        _interfaces.TryGetValue(interfaceType, out var known) ? known : _interfaces.GetOrAdd(interfaceType, CreateInterface);

    internal GrainClassInfo GetClass(string typeName) =>
        _classByTypeName.TryGetValue(typeName, out var info)
            ? info
            : throw new InvalidOperationException($"No grain class has the grain type name '{typeName}'.");

    private GrainInterfaceInfo CreateInterface(Type interfaceType)
    {
        if (!interfaceType.IsInterface || !typeof(IGrain).IsAssignableFrom(interfaceType))
        {
            throw new ArgumentException($"{interfaceType.Name} is not a grain interface (an interface deriving from IGrainWithStringKey, IGrainWithGuidKey or IGrainWithIntegerKey).");
        }
        if (_ambiguous.TryGetValue(interfaceType, out var candidates))
        {
            throw new ArgumentException(
                $"Grain interface {interfaceType.Name} is implemented by several grain classes ({string.Join(", ", candidates.Select(c => c.Name))}); give each its own interface.");
        }
        if (!_classByInterface.TryGetValue(interfaceType, out var grainClass))
        {
            var searched = string.Join(", ", _assemblies.Select(a => a.GetName().Name));
            throw new ArgumentException(
                $"No grain class implements grain interface {interfaceType.FullName}. Searched assemblies: {(searched.Length == 0 ? "(none)" : searched)}; register the grain's assembly with silo.AddGrains(...).");
        }
        return new GrainInterfaceInfo(interfaceType, grainClass);
    }

    private static bool IsGrainInterface(Type type) =>
        typeof(IGrain).IsAssignableFrom(type)
        && type != typeof(IGrain) && type != typeof(IGrainWithStringKey) && type != typeof(IGrainWithGuidKey) && type != typeof(IGrainWithIntegerKey);

    private static IEnumerable<Type> SafeTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException exception)
        {
            return exception.Types.Where(t => t is not null)!;
        }
    }
}
