using System.Runtime.CompilerServices;
using Switchboard.Actors.Activation;

namespace Switchboard.Actors.Invocation;

/// <summary>
/// One call to a grain method: the arguments, and the task the caller awaits. The request is the
/// work item the activation runs as a turn; it completes the caller's task when the method's task ends.
/// </summary>
internal sealed class GrainRequest<TResult> : ActivationWorkItem
{
    private readonly GrainMethod _method;
    private readonly object?[] _arguments;
    private AsyncTaskMethodBuilder<TResult> _result = AsyncTaskMethodBuilder<TResult>.Create();
    private ActivationData? _activation;
    private Task? _invocation;
    private int _completed;

    internal GrainRequest(GrainMethod method, object?[] arguments)
    {
        _method = method;
        _arguments = arguments;
        Task = _result.Task;
    }

    internal Task<TResult> Task { get; }

    internal override bool AlwaysInterleaves => _method.AlwaysInterleave;

    internal override bool IsForwardable => true;

    internal override bool IsAbandoned => Volatile.Read(ref _completed) != 0;

    internal override void Start(ActivationData activation)
    {
        _activation = activation;
        Task invocation;
        try
        {
            invocation = _method.Invoker(activation.Instance!, _arguments);
        }
        catch (Exception exception)
        {
            Finish(exception);
            return;
        }
        if (invocation.IsCompleted)
        {
            Complete(invocation);
            return;
        }
        _invocation = invocation;
        invocation.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(OnInvocationCompleted);
    }

    private void OnInvocationCompleted() => Complete(_invocation!);

    private void Complete(Task invocation)
    {
        if (invocation.IsCompletedSuccessfully)
        {
            if (TryClaim())
            {
                var result = typeof(TResult) == typeof(VoidResult) ? default! : ((Task<TResult>)invocation).Result;
                SetOutsideGrainContext(this, static (r, value) => r._result.SetResult(value), result);
            }
            _activation!.OnTurnCompleted(this);
        }
        else
        {
            Finish(invocation.IsCanceled ? new TaskCanceledException(invocation) : invocation.Exception!.InnerException!);
        }
    }

    private void Finish(Exception exception)
    {
        if (TryClaim())
        {
            SetOutsideGrainContext(this, static (r, e) => r._result.SetException(e), exception);
        }
        _activation!.OnTurnCompleted(this);
    }

    internal override void Fail(Exception exception)
    {
        if (TryClaim())
        {
            SetOutsideGrainContext(this, static (r, e) => r._result.SetException(e), exception);
        }
    }

    internal override void TimeOut(GrainId grainId, TimeSpan timeout) =>
        Fail(new GrainCallTimeoutException(grainId, _method.InterfaceName, _method.Name, timeout));

    private bool TryClaim() => Interlocked.Exchange(ref _completed, 1) == 0;

    // A caller that is not a grain would otherwise run its continuation inline on this grain's context,
    // and its next awaits would be queued to this activation.
    private static void SetOutsideGrainContext<TValue>(GrainRequest<TResult> request, Action<GrainRequest<TResult>, TValue> set, TValue value)
    {
        var context = SynchronizationContext.Current;
        if (context is ActivationData)
        {
            SynchronizationContext.SetSynchronizationContext(null);
            try
            {
                set(request, value);
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(context);
            }
        }
        else
        {
            set(request, value);
        }
    }
}
