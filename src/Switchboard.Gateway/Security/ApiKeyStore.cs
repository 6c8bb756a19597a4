using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Gateway.Security;

/// <summary>
/// The API keys the gateway accepts: those configured, plus keys added at run time (the development
/// admin key, the demo's simulated adapter and agents). Lookups compare in constant time per candidate.
/// </summary>
public sealed class ApiKeyStore
{
    // A key's hash is 32 bytes, 44 characters of base64: lookups hash and encode on the stack and find the entry by
    // span, so checking a call's key allocates nothing (it did four objects per RPC).
    private const int HashChars = 44;
    private const int KeyBytesOnStack = 512;

    private readonly ConcurrentDictionary<string, Caller> _keys;
    private readonly ConcurrentDictionary<string, Caller>.AlternateLookup<ReadOnlySpan<char>> _byHash;

    /// <summary>An empty store.</summary>
    public ApiKeyStore()
    {
        _keys = new ConcurrentDictionary<string, Caller>(StringComparer.Ordinal);
        _byHash = _keys.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The number of keys accepted.</summary>
    public int Count => _keys.Count;

    /// <summary>Adds (or replaces) a key. Throws <see cref="ArgumentException"/> naming what is wrong with it.</summary>
    public void Add(ApiKeyDefinition key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Validate(key);
        _keys[Hash(key.Key)] = Caller.From(key);
    }

    /// <summary>Makes a random key, for the development admin key and the demo.</summary>
    public static string NewKey(string prefix) =>
        prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Whether any key of <paramref name="role"/> is accepted.</summary>
    public bool HasRole(GatewayRole role) => _keys.Values.Any(caller => caller.Role == role);

    internal bool TryFind(ReadOnlySpan<char> key, out Caller caller)
    {
        var byteCount = Encoding.UTF8.GetByteCount(key);
        Span<byte> bytes = byteCount <= KeyBytesOnStack ? stackalloc byte[KeyBytesOnStack] : new byte[byteCount];
        bytes = bytes[..Encoding.UTF8.GetBytes(key, bytes)];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, hash);
        Span<char> text = stackalloc char[HashChars];
        Convert.TryToBase64Chars(hash, text, out var written);
        return _byHash.TryGetValue(text[..written], out caller!);
    }

    // Keys are held hashed: a dump of the process holds no usable key, and the dictionary lookup does
    // not compare secrets byte by byte.
    private static string Hash(string key) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    internal static void Validate(ApiKeyDefinition key)
    {
        var who = string.IsNullOrWhiteSpace(key.Name) ? $"an API key of role {key.Role}" : $"API key '{key.Name}'";
        if (string.IsNullOrWhiteSpace(key.Key) || key.Key.Length < 16)
        {
            throw new ArgumentException($"Switchboard:Gateway:ApiKeys: {who} has a Key shorter than 16 characters.");
        }
        if (!Enum.IsDefined(key.Role))
        {
            throw new ArgumentException($"Switchboard:Gateway:ApiKeys: {who} has Role '{key.Role}'; use adapter, agent, supervisor or admin.");
        }
        if (key.Role == GatewayRole.Agent && string.IsNullOrWhiteSpace(key.AgentId))
        {
            throw new ArgumentException($"Switchboard:Gateway:ApiKeys: {who} has role agent but no AgentId.");
        }
        if (key.Role == GatewayRole.Supervisor && string.IsNullOrWhiteSpace(key.VendorId) == string.IsNullOrWhiteSpace(key.TeamId))
        {
            throw new ArgumentException($"Switchboard:Gateway:ApiKeys: {who} has role supervisor and needs exactly one of VendorId and TeamId.");
        }
    }
}
