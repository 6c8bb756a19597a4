using System.Collections;
using System.Collections.Frozen;
using System.Reflection;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace Switchboard.Grpc;

/// <summary>
/// gRPC metadata: request headers, response headers or trailers. Keys are lower-case ASCII;
/// keys ending in <c>-bin</c> carry bytes (sent base64-encoded), other keys carry ASCII text.
/// </summary>
public sealed class Metadata : IList<Metadata.Entry>
{
    /// <summary>The suffix that marks a binary-valued key.</summary>
    public const string BinaryHeaderSuffix = "-bin";

    private readonly List<Entry> _entries = [];

    /// <summary>The number of entries.</summary>
    public int Count => _entries.Count;

    /// <inheritdoc />
    public bool IsReadOnly => false;

    /// <inheritdoc />
    public Entry this[int index]
    {
        get => _entries[index];
        set => _entries[index] = value;
    }

    /// <summary>Adds a text entry; the key must not end in <c>-bin</c>.</summary>
    public Metadata Add(string key, string value)
    {
        _entries.Add(new Entry(key, value));
        return this;
    }

    /// <summary>Adds a binary entry; the key must end in <c>-bin</c>.</summary>
    public Metadata Add(string key, byte[] value)
    {
        _entries.Add(new Entry(key, value));
        return this;
    }

    /// <inheritdoc />
    public void Add(Entry item) => _entries.Add(item ?? throw new ArgumentNullException(nameof(item)));

    /// <summary>The last entry with <paramref name="key"/> (case-insensitive), or null.</summary>
    public Entry? Get(string key)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return _entries[i];
            }
        }

        return null;
    }

    /// <summary>The text value of the last entry with <paramref name="key"/>, or null.</summary>
    public string? GetValue(string key) => Get(key)?.Value;

    /// <summary>The bytes of the last entry with <paramref name="key"/>, or null.</summary>
    public byte[]? GetValueBytes(string key) => Get(key)?.ValueBytes;

    /// <inheritdoc />
    public void Clear() => _entries.Clear();

    /// <inheritdoc />
    public bool Contains(Entry item) => _entries.Contains(item);

    /// <inheritdoc />
    public void CopyTo(Entry[] array, int arrayIndex) => _entries.CopyTo(array, arrayIndex);

    /// <inheritdoc />
    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _entries.GetEnumerator();

    /// <inheritdoc />
    public int IndexOf(Entry item) => _entries.IndexOf(item);

    /// <inheritdoc />
    public void Insert(int index, Entry item) => _entries.Insert(index, item);

    /// <inheritdoc />
    public bool Remove(Entry item) => _entries.Remove(item);

    /// <inheritdoc />
    public void RemoveAt(int index) => _entries.RemoveAt(index);

    /// <summary>One metadata entry: a key with a text or a binary value.</summary>
    public sealed class Entry
    {
        private readonly string? _value;
        private readonly byte[]? _valueBytes;

        /// <summary>Creates a text entry.</summary>
        public Entry(string key, string value)
        {
            Key = NormalizeKey(key);
            if (IsBinaryKey(Key))
            {
                throw new ArgumentException($"Metadata key '{key}' ends in '-bin' and needs a byte[] value.", nameof(key));
            }

            _value = value ?? throw new ArgumentNullException(nameof(value));
        }

        /// <summary>Creates a binary entry.</summary>
        public Entry(string key, byte[] value)
        {
            Key = NormalizeKey(key);
            if (!IsBinaryKey(Key))
            {
                throw new ArgumentException($"Metadata key '{key}' carries bytes and must end in '-bin'.", nameof(key));
            }

            _valueBytes = value ?? throw new ArgumentNullException(nameof(value));
        }

        /// <summary>The lower-case key.</summary>
        public string Key { get; }

        /// <summary>True when the key ends in <c>-bin</c> and the value is bytes.</summary>
        public bool IsBinary => _valueBytes is not null;

        /// <summary>The text value; for a binary entry, its bytes read as UTF-8.</summary>
        public string Value => _value ?? Encoding.UTF8.GetString(_valueBytes!);

        /// <summary>The binary value; for a text entry, its ASCII bytes.</summary>
        public byte[] ValueBytes => _valueBytes ?? Encoding.ASCII.GetBytes(_value!);

        /// <inheritdoc />
        public override string ToString() => IsBinary ? $"{Key}: [{_valueBytes!.Length} bytes]" : $"{Key}: {_value}";

        internal static bool IsBinaryKey(string key) => key.EndsWith(BinaryHeaderSuffix, StringComparison.OrdinalIgnoreCase);

        private static string NormalizeKey(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            foreach (var c in key)
            {
                var valid = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.';
                if (!valid)
                {
                    throw new ArgumentException($"Metadata key '{key}' has the character '{c}'; only a-z, 0-9, '-', '_' and '.' are allowed.", nameof(key));
                }
            }

            // Kestrel names the headers it knows in their registered spelling ("Authorization", "User-Agent"):
            // those map to lower case without a new string per request.
            return KnownLowerCase.TryGetValue(key, out var lower) ? lower : key.ToLowerInvariant();
        }

        private static readonly FrozenDictionary<string, string> KnownLowerCase = typeof(HeaderNames)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.FieldType == typeof(string))
            .Select(field => (string)field.GetValue(null)!)
            .Where(name => name.Any(char.IsUpper))
            .Distinct(StringComparer.Ordinal)
            .ToFrozenDictionary(name => name, name => name.ToLowerInvariant(), StringComparer.Ordinal);
    }
}
