using Google.Protobuf;

namespace Switchboard.Grpc.Client;

/// <summary>Describes a method for the client: its kind, its path and how to parse its responses.</summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class Method<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    /// <summary>Creates a method description, for example <c>new(MethodType.Unary, "grpc.testing.TestService", "UnaryCall", SimpleResponse.Parser)</c>.</summary>
    public Method(MethodType type, string serviceName, string name, MessageParser<TResponse> responseParser)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Type = type;
        ServiceName = serviceName;
        Name = name;
        ResponseParser = responseParser ?? throw new ArgumentNullException(nameof(responseParser));
        FullName = $"/{serviceName}/{name}";
    }

    /// <summary>The kind of method.</summary>
    public MethodType Type { get; }

    /// <summary>The full service name, <c>package.Service</c>.</summary>
    public string ServiceName { get; }

    /// <summary>The method name.</summary>
    public string Name { get; }

    /// <summary>The request path, <c>/package.Service/Method</c>.</summary>
    public string FullName { get; }

    /// <summary>Parses response messages.</summary>
    public MessageParser<TResponse> ResponseParser { get; }
}
