using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Actors.Journal;
using Switchboard.Actors.State;

namespace Switchboard.Actors.Activation;

/// <summary>
/// A grain class, prepared once at start-up: its type name, turn discipline, idle age and a factory
/// that builds an instance with its constructor parameters (services, persistent states, journal).
/// </summary>
internal sealed class GrainClassInfo
{
    private readonly ConstructorInfo _constructor;
    private readonly Func<ActivationData, object>[] _arguments;

    internal GrainClassInfo(Type classType, TimeSpan defaultCollectionAge)
    {
        ClassType = classType;
        TypeName = classType.GetCustomAttribute<GrainTypeAttribute>(inherit: false)?.Name ?? DefaultTypeName(classType);
        IsReentrant = classType.IsDefined(typeof(ReentrantAttribute), inherit: true);
        var age = classType.GetCustomAttribute<CollectionAgeLimitAttribute>(inherit: true);
        CollectionAge = age is not null && age.Amount > TimeSpan.Zero ? age.Amount : defaultCollectionAge;
        var constructors = classType.GetConstructors();
        if (constructors.Length == 0)
        {
            throw new InvalidOperationException($"Grain class {classType.FullName} has no public constructor.");
        }
        _constructor = constructors.OrderByDescending(c => c.GetParameters().Length).First();
        _arguments = _constructor.GetParameters().Select(PlanArgument).ToArray();
    }

    internal Type ClassType { get; }

    internal string TypeName { get; }

    internal bool IsReentrant { get; }

    internal TimeSpan CollectionAge { get; }

    internal Grain Create(ActivationData activation)
    {
        var arguments = new object[_arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = _arguments[i](activation);
        }
        try
        {
            return (Grain)_constructor.Invoke(arguments);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }
    }

    private Func<ActivationData, object> PlanArgument(ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        var persistent = parameter.GetCustomAttribute<PersistentStateAttribute>();
        if (persistent is not null)
        {
            if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(IPersistentState<>))
            {
                throw new InvalidOperationException(
                    $"Grain class {ClassType.Name}: parameter '{parameter.Name}' has [PersistentState] but is {type.Name}; it must be IPersistentState<T>.");
            }
            var stateType = type.GetGenericArguments()[0];
            PersistentStateFactory.Validate(ClassType, persistent.StateName, stateType);
            return PersistentStateFactory.Factory(stateType, persistent);
        }
        if (type == typeof(IGrainJournal))
        {
            var storeName = parameter.GetCustomAttribute<GrainJournalAttribute>()?.StorageName;
            return activation => new GrainJournal(activation, storeName);
        }
        var className = ClassType.Name;
        return activation => activation.Runtime.Services.GetService(type)
            ?? throw new InvalidOperationException($"Grain class {className}: constructor parameter '{parameter.Name}' of type {type.Name} is not a registered service.");
    }

    private static string DefaultTypeName(Type classType)
    {
        var name = classType.Name;
        if (name.EndsWith("Grain", StringComparison.Ordinal) && name.Length > "Grain".Length)
        {
            name = name[..^"Grain".Length];
        }
        return name.ToLowerInvariant();
    }
}
