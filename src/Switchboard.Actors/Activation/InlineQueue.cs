namespace Switchboard.Actors.Activation;

/// <summary>
/// A first-in first-out queue that keeps its oldest item in a field and allocates a <see cref="Queue{T}"/> only when
/// a second item waits. An activation's mailbox holds zero or one item nearly always, and every object an
/// activation owns is one more for each garbage collection that finds the activation young (a call's grain lives
/// through several). A mutable struct: keep it in a field and call it in place, never copy it. Not thread-safe.
/// </summary>
internal struct InlineQueue<T>
{
    private T _head;
    private bool _hasHead;
    private Queue<T>? _rest;

    public readonly int Count => (_hasHead ? 1 : 0) + (_rest?.Count ?? 0);

    public void Enqueue(T item)
    {
        if (!_hasHead)
        {
            _head = item;
            _hasHead = true;
        }
        else
        {
            (_rest ??= new Queue<T>()).Enqueue(item);
        }
    }

    public readonly T Peek() => _hasHead ? _head : throw new InvalidOperationException("the queue is empty");

    public T Dequeue()
    {
        var item = Peek();
        if (_rest is { Count: > 0 })
        {
            _head = _rest.Dequeue();
        }
        else
        {
            _head = default!;
            _hasHead = false;
        }

        return item;
    }

    /// <summary>Empties the queue and returns what it held, oldest first.</summary>
    public T[] Drain()
    {
        var items = new T[Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = Dequeue();
        }

        return items;
    }

    /// <summary>Adds to <paramref name="found"/> (made when first needed) the items that match, without allocating otherwise.</summary>
    public readonly void Collect<TState>(Func<T, TState, bool> match, TState state, ref List<T>? found)
    {
        if (_hasHead && match(_head, state))
        {
            (found ??= []).Add(_head);
        }

        if (_rest is not null)
        {
            foreach (var item in _rest)
            {
                if (match(item, state))
                {
                    (found ??= []).Add(item);
                }
            }
        }
    }
}
