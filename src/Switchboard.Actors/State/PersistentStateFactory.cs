using System.Reflection;
using System.Text.Json;
using Switchboard.Actors.Activation;

namespace Switchboard.Actors.State;

/// <summary>Creates and checks persistent states for grain constructors.</summary>
internal static class PersistentStateFactory
{
    /// <summary>Refuses, at start-up, a state type that cannot be created or serialized.</summary>
    internal static void Validate(Type grainClass, string stateName, Type stateType)
    {
        try
        {
            var instance = Activator.CreateInstance(stateType)
                ?? throw new InvalidOperationException("it has no parameterless constructor");
            var json = JsonSerializer.SerializeToUtf8Bytes(instance, stateType, StateJson.Options);
            JsonSerializer.Deserialize(json, stateType, StateJson.Options);
        }
        catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException or JsonException or MissingMethodException or ArgumentException)
        {
            throw new StateSerializationException(grainClass.Name, stateName, stateType, exception);
        }
    }

    /// <summary>
    /// The factory of <paramref name="stateType"/>'s persistent state, built once per grain class parameter: reflection
    /// per activation (Activator.CreateInstance with arguments) cost more than the activation itself and emitted
    /// invoke stubs that the finalizer then had to clean up.
    /// </summary>
    internal static Func<ActivationData, object> Factory(Type stateType, PersistentStateAttribute attribute)
    {
        var create = typeof(PersistentStateFactory).GetMethod(nameof(CreateTyped), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(stateType)
            .CreateDelegate<Func<ActivationData, PersistentStateAttribute, object>>();
        return activation => create(activation, attribute);
    }

    private static object CreateTyped<TState>(ActivationData activation, PersistentStateAttribute attribute)
    {
        var store = activation.Runtime.Stores.Get(attribute.StorageName ?? activation.Runtime.Options.DefaultStoreName);
        var state = new PersistentState<TState>(activation, attribute.StateName, store);
        activation.AddStateLifecycle(state);
        return state;
    }
}
