namespace Switchboard.Routing.Topics;

/// <summary>
/// The latest values of every topic of one value type, side by side in a few shared arrays: a topic holds a slot
/// number per key, not the value. Each agent has topics of its own, and a new value stored in a small table of
/// its own marks one card (2 KB of old objects) that every gen0 collection scans until the next gen1; stored
/// here, a thousand agents' new values share a few dozen cards. Slots are handed out under a lock (a new key,
/// rare); a slot is read and written under its topic's lock.
/// </summary>
internal sealed class LatestValueSlots<T>
{
    // 1,024 references (8 KB) per chunk: well below the large-object heap, so chunks age like other objects.
    private const int ChunkBits = 10;
    private const int ChunkSize = 1 << ChunkBits;

    private readonly object _lock = new();
    private readonly Stack<int> _free = new();
    private T?[][] _chunks = [];
    private int _next;

    /// <summary>A slot for a new key; its value starts as default.</summary>
    public int Rent()
    {
        lock (_lock)
        {
            if (_free.TryPop(out var slot))
            {
                return slot;
            }

            slot = _next++;
            if (slot >> ChunkBits >= _chunks.Length)
            {
                Volatile.Write(ref _chunks, [.. _chunks, new T?[ChunkSize]]);
            }

            return slot;
        }
    }

    /// <summary>Gives back a removed key's slot, clearing its value so it holds nothing alive.</summary>
    public void Return(int slot)
    {
        this[slot] = default;
        lock (_lock)
        {
            _free.Push(slot);
        }
    }

    public T? this[int slot]
    {
        get => Volatile.Read(ref _chunks)[slot >> ChunkBits][slot & (ChunkSize - 1)];
        set => Volatile.Read(ref _chunks)[slot >> ChunkBits][slot & (ChunkSize - 1)] = value;
    }
}
