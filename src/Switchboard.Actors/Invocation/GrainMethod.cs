using System.Linq.Expressions;
using System.Reflection;

namespace Switchboard.Actors.Invocation;

/// <summary>
/// A grain interface method, prepared once: a compiled invoker for the grain side and a typed sender
/// for the caller side. Methods must return Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.
/// </summary>
internal abstract class GrainMethod
{
    protected GrainMethod(MethodInfo method)
    {
        Name = method.Name;
        InterfaceName = method.DeclaringType!.Name;
        AlwaysInterleave = method.IsDefined(typeof(AlwaysInterleaveAttribute), inherit: true);
        Invoker = CompileInvoker(method);
    }

    internal string Name { get; }

    internal string InterfaceName { get; }

    internal bool AlwaysInterleave { get; }

    /// <summary>Calls the method on a grain instance and returns its task (as a Task, also for ValueTask methods).</summary>
    internal Func<object, object?[], Task> Invoker { get; }

    /// <summary>Sends a call through <paramref name="reference"/> and returns what the interface method returns.</summary>
    internal abstract object Send(GrainReference reference, object?[] arguments);

    internal static GrainMethod Create(MethodInfo method)
    {
        var returnType = method.ReturnType;
        Type resultType;
        ReturnKind kind;
        if (returnType == typeof(Task))
        {
            (resultType, kind) = (typeof(VoidResult), ReturnKind.Task);
        }
        else if (returnType == typeof(ValueTask))
        {
            (resultType, kind) = (typeof(VoidResult), ReturnKind.ValueTask);
        }
        else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            (resultType, kind) = (returnType.GetGenericArguments()[0], ReturnKind.Task);
        }
        else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            (resultType, kind) = (returnType.GetGenericArguments()[0], ReturnKind.ValueTask);
        }
        else
        {
            throw new InvalidOperationException(
                $"Grain interface method {method.DeclaringType!.Name}.{method.Name} returns {returnType.Name}; grain methods must return Task, Task<T>, ValueTask or ValueTask<T>.");
        }
        if (method.IsGenericMethodDefinition)
        {
            throw new InvalidOperationException($"Grain interface method {method.DeclaringType!.Name}.{method.Name} is generic; grain methods cannot be generic.");
        }
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.ParameterType.IsByRef)
            {
                throw new InvalidOperationException($"Grain interface method {method.DeclaringType!.Name}.{method.Name} has ref/out parameter '{parameter.Name}'; grain calls are messages.");
            }
        }
        return (GrainMethod)Activator.CreateInstance(typeof(GrainMethod<>).MakeGenericType(resultType), method, kind)!;
    }

    private static Func<object, object?[], Task> CompileInvoker(MethodInfo method)
    {
        var grain = Expression.Parameter(typeof(object), "grain");
        var arguments = Expression.Parameter(typeof(object?[]), "arguments");
        var parameters = method.GetParameters();
        var callArguments = new Expression[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            callArguments[i] = Expression.Convert(Expression.ArrayIndex(arguments, Expression.Constant(i)), parameters[i].ParameterType);
        }
        Expression call = Expression.Call(Expression.Convert(grain, method.DeclaringType!), method, callArguments);
        if (method.ReturnType == typeof(ValueTask) || (method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            call = Expression.Call(call, method.ReturnType.GetMethod(nameof(ValueTask.AsTask))!);
        }
        return Expression.Lambda<Func<object, object?[], Task>>(Expression.Convert(call, typeof(Task)), grain, arguments).Compile();
    }

    internal enum ReturnKind
    {
        Task,
        ValueTask,
    }
}

/// <summary>A grain method whose result is <typeparamref name="TResult"/> (<see cref="VoidResult"/> for none).</summary>
internal sealed class GrainMethod<TResult>(MethodInfo method, GrainMethod.ReturnKind kind) : GrainMethod(method)
{
    internal override object Send(GrainReference reference, object?[] arguments)
    {
        var request = new GrainRequest<TResult>(this, arguments);
        reference.Runtime.Send(reference.GrainId, request);
        if (kind == ReturnKind.Task)
        {
            return request.Task;
        }
        return typeof(TResult) == typeof(VoidResult) ? new ValueTask(request.Task) : new ValueTask<TResult>(request.Task);
    }
}
