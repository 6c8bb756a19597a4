using Google.Protobuf;
using Google.Protobuf.Reflection;
using Switchboard.Grpc.Server;

namespace Switchboard.Grpc.Reflection;

/// <summary>
/// What server reflection can tell: the mapped service names and the .proto files (with their imports) of
/// the services that were built from a descriptor, looked up by file name or by a symbol they declare.
/// </summary>
internal sealed class ReflectionIndex
{
    private readonly Dictionary<string, FileDescriptor> _filesByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileDescriptor> _filesBySymbol = new(StringComparer.Ordinal);
    private readonly HashSet<string> _messageTypes = new(StringComparer.Ordinal);

    public ReflectionIndex(IReadOnlyList<GrpcServiceDefinition> services)
    {
        Services = services;
        ServiceNames = services.Select(s => s.ServiceName).Order(StringComparer.Ordinal).ToArray();
        foreach (var service in services)
        {
            if (service.Descriptor is not null)
            {
                AddFile(service.Descriptor.File);
            }
        }
    }

    /// <summary>The definitions this index was built from; a new mapping makes a new index.</summary>
    public IReadOnlyList<GrpcServiceDefinition> Services { get; }

    public IReadOnlyList<string> ServiceNames { get; }

    public bool IsKnownMessageType(string fullName) => _messageTypes.Contains(fullName);

    /// <summary>The serialized file and every file it imports, transitively; null when unknown.</summary>
    public IReadOnlyList<ByteString>? FileByName(string name) =>
        _filesByName.TryGetValue(name, out var file) ? WithDependencies(file) : null;

    /// <summary>The file declaring a service, method, message or enum (full name), with its imports; null when unknown.</summary>
    public IReadOnlyList<ByteString>? FileContainingSymbol(string symbol) =>
        _filesBySymbol.TryGetValue(symbol, out var file) ? WithDependencies(file) : null;

    private void AddFile(FileDescriptor file)
    {
        if (!_filesByName.TryAdd(file.Name, file))
        {
            return;
        }

        foreach (var service in file.Services)
        {
            _filesBySymbol.TryAdd(service.FullName, file);
            foreach (var method in service.Methods)
            {
                _filesBySymbol.TryAdd($"{service.FullName}.{method.Name}", file);
            }
        }

        foreach (var message in file.MessageTypes)
        {
            AddMessage(message, file);
        }

        foreach (var enumType in file.EnumTypes)
        {
            _filesBySymbol.TryAdd(enumType.FullName, file);
        }

        foreach (var dependency in file.Dependencies)
        {
            AddFile(dependency);
        }
    }

    private void AddMessage(MessageDescriptor message, FileDescriptor file)
    {
        _filesBySymbol.TryAdd(message.FullName, file);
        _messageTypes.Add(message.FullName);
        foreach (var nested in message.NestedTypes)
        {
            AddMessage(nested, file);
        }

        foreach (var enumType in message.EnumTypes)
        {
            _filesBySymbol.TryAdd(enumType.FullName, file);
        }
    }

    private static List<ByteString> WithDependencies(FileDescriptor file)
    {
        // The requested file first, then its imports: clients build descriptors from the list in any order.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<ByteString>();
        var pending = new Stack<FileDescriptor>();
        pending.Push(file);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (!seen.Add(next.Name))
            {
                continue;
            }

            result.Add(next.SerializedData);
            foreach (var dependency in next.Dependencies)
            {
                pending.Push(dependency);
            }
        }

        return result;
    }
}
