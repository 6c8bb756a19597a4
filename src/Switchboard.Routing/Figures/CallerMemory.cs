namespace Switchboard.Routing.Figures;

/// <summary>
/// When each caller last called, for the repeat-call figure, over the repeat-call window (24 h by default). A busy
/// center sees hundreds of thousands of callers a day, and each one stays here that long: a caller number that is a
/// plain phone number (an optional '+' and 1 to 15 digits, E.164's longest) is kept packed in a 64-bit key, which
/// is exact (the '+', the digit count and so the leading zeros are part of it) and holds no string. Anything else
/// ("anonymous", a SIP address) is kept as its text. Packed keys also spare each collection a reference from this
/// long-lived table to every new caller's string.
/// </summary>
internal sealed class CallerMemory
{
    private const int MaxDigits = 15;

    private readonly Dictionary<long, DateTimeOffset> _numbers = [];
    private readonly Dictionary<string, DateTimeOffset> _others = new(StringComparer.Ordinal);

    /// <summary>The callers remembered.</summary>
    public int Count => _numbers.Count + _others.Count;

    /// <summary>Records a call from <paramref name="caller"/> at <paramref name="at"/>; returns the caller's previous call, if remembered.</summary>
    public DateTimeOffset? Record(string caller, DateTimeOffset at)
    {
        DateTimeOffset? previous;
        if (TryPack(caller, out var key))
        {
            previous = _numbers.TryGetValue(key, out var last) ? last : null;
            _numbers[key] = at;
        }
        else
        {
            previous = _others.TryGetValue(caller, out var last) ? last : null;
            _others[caller] = at;
        }

        return previous;
    }

    /// <summary>Forgets every caller whose last call was before <paramref name="oldestKept"/>.</summary>
    public void ForgetBefore(DateTimeOffset oldestKept)
    {
        foreach (var (key, at) in _numbers)
        {
            if (at < oldestKept)
            {
                _numbers.Remove(key);
            }
        }

        foreach (var (caller, at) in _others)
        {
            if (at < oldestKept)
            {
                _others.Remove(caller);
            }
        }
    }

    /// <summary>
    /// Packs '+'? followed by 1-15 ASCII digits into one number: the digits' value, then their count, then the '+'.
    /// Two different such strings never give the same key.
    /// </summary>
    internal static bool TryPack(string caller, out long key)
    {
        key = 0;
        var plus = caller.StartsWith('+');
        var digits = caller.AsSpan(plus ? 1 : 0);
        if (digits.Length is 0 or > MaxDigits)
        {
            return false;
        }

        long value = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        // value < 10^15 < 2^50, so shifting it left by 5 (4 bits of count, 1 of '+') stays far below 2^63.
        key = (value << 5) | ((long)digits.Length << 1) | (plus ? 1L : 0L);
        return true;
    }
}
