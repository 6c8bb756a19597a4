namespace Switchboard.Actors.Activation;

/// <summary>
/// The turns an activation is running: one nearly always (more only for reentrant grains and interleaving
/// requests), kept in a field, with a list allocated only for the others. A mutable struct like
/// <see cref="InlineQueue{T}"/>: keep it in a field, never copy it. Not thread-safe.
/// </summary>
internal struct RunningTurns
{
    private ActivationWorkItem? _one;
    private List<ActivationWorkItem>? _more;

    public readonly int Count => (_one is null ? 0 : 1) + (_more?.Count ?? 0);

    public void Add(ActivationWorkItem item)
    {
        if (_one is null)
        {
            _one = item;
        }
        else
        {
            (_more ??= new List<ActivationWorkItem>(2)).Add(item);
        }
    }

    public void Remove(ActivationWorkItem item)
    {
        if (ReferenceEquals(_one, item))
        {
            _one = null;
            if (_more is { Count: > 0 })
            {
                _one = _more[^1];
                _more.RemoveAt(_more.Count - 1);
            }
        }
        else
        {
            _more?.Remove(item);
        }
    }

    /// <summary>Adds to <paramref name="found"/> (made when first needed) the turns that match, without allocating otherwise.</summary>
    public readonly void Collect<TState>(Func<ActivationWorkItem, TState, bool> match, TState state, ref List<ActivationWorkItem>? found)
    {
        if (_one is not null && match(_one, state))
        {
            (found ??= []).Add(_one);
        }

        if (_more is not null)
        {
            foreach (var item in _more)
            {
                if (match(item, state))
                {
                    (found ??= []).Add(item);
                }
            }
        }
    }
}
