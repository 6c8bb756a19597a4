using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Switchboard.Grpc.Server;

/// <summary>
/// A gRPC service: its full name and its methods with their handlers. Build one with
/// <see cref="CreateBuilder(string)"/> and serve it with <c>endpoints.MapGrpcService(definition)</c>.
/// </summary>
/// <example>
/// <code>
/// var desk = GrpcServiceDefinition.CreateBuilder(AgentDeskReflection.Descriptor.Services[0])
///     .AddUnaryMethod("Login", LoginRequest.Parser, service.LoginAsync)
///     .AddServerStreamingMethod("Offers", OffersRequest.Parser, service.StreamOffersAsync)
///     .Build();
/// app.MapGrpcService(desk);
/// </code>
/// </example>
public sealed class GrpcServiceDefinition
{
    private GrpcServiceDefinition(string serviceName, ServiceDescriptor? descriptor, IReadOnlyList<ServerMethodHandler> methods)
    {
        ServiceName = serviceName;
        Descriptor = descriptor;
        Methods = methods;
    }

    /// <summary>The full service name, <c>package.Service</c>.</summary>
    public string ServiceName { get; }

    /// <summary>The protobuf descriptor when the definition was built from one; server reflection serves it.</summary>
    public ServiceDescriptor? Descriptor { get; }

    /// <summary>The names of the registered methods.</summary>
    public IEnumerable<string> MethodNames => Methods.Select(m => m.Name);

    internal IReadOnlyList<ServerMethodHandler> Methods { get; }

    /// <summary>Starts a definition for the service <paramref name="serviceName"/> (<c>package.Service</c>).</summary>
    public static Builder CreateBuilder(string serviceName) => new(serviceName, null);

    /// <summary>Starts a definition from a generated descriptor; method names are checked against it.</summary>
    public static Builder CreateBuilder(ServiceDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return new Builder(descriptor.FullName, descriptor);
    }

    /// <summary>Adds methods to a <see cref="GrpcServiceDefinition"/>.</summary>
    public sealed class Builder
    {
        private readonly string _serviceName;
        private readonly ServiceDescriptor? _descriptor;
        private readonly List<ServerMethodHandler> _methods = [];

        internal Builder(string serviceName, ServiceDescriptor? descriptor)
        {
            ArgumentException.ThrowIfNullOrEmpty(serviceName);
            if (serviceName.Contains('/', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Service name '{serviceName}' must be 'package.Service', without '/'.", nameof(serviceName));
            }

            _serviceName = serviceName;
            _descriptor = descriptor;
        }

        /// <summary>Adds a unary method: one request, one response.</summary>
        public Builder AddUnaryMethod<TRequest, TResponse>(
            string name,
            MessageParser<TRequest> requestParser,
            Func<TRequest, ServerCallContext, Task<TResponse>> handler)
            where TRequest : class, IMessage<TRequest>
            where TResponse : class, IMessage<TResponse>
        {
            Check(name, requestParser, handler, MethodType.Unary);
            return Add(new UnaryMethodHandler<TRequest, TResponse>(_serviceName, name, requestParser, handler));
        }

        /// <summary>Adds a server-streaming method: one request, a stream of responses.</summary>
        public Builder AddServerStreamingMethod<TRequest, TResponse>(
            string name,
            MessageParser<TRequest> requestParser,
            Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
            where TRequest : class, IMessage<TRequest>
            where TResponse : class, IMessage<TResponse>
        {
            Check(name, requestParser, handler, MethodType.ServerStreaming);
            return Add(new ServerStreamingMethodHandler<TRequest, TResponse>(_serviceName, name, requestParser, handler));
        }

        /// <summary>Adds a client-streaming method: a stream of requests, one response.</summary>
        public Builder AddClientStreamingMethod<TRequest, TResponse>(
            string name,
            MessageParser<TRequest> requestParser,
            Func<IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>> handler)
            where TRequest : class, IMessage<TRequest>
            where TResponse : class, IMessage<TResponse>
        {
            Check(name, requestParser, handler, MethodType.ClientStreaming);
            return Add(new ClientStreamingMethodHandler<TRequest, TResponse>(_serviceName, name, requestParser, handler));
        }

        /// <summary>Adds a bidirectional method: independent streams both ways.</summary>
        public Builder AddDuplexStreamingMethod<TRequest, TResponse>(
            string name,
            MessageParser<TRequest> requestParser,
            Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
            where TRequest : class, IMessage<TRequest>
            where TResponse : class, IMessage<TResponse>
        {
            Check(name, requestParser, handler, MethodType.DuplexStreaming);
            return Add(new DuplexStreamingMethodHandler<TRequest, TResponse>(_serviceName, name, requestParser, handler));
        }

        /// <summary>Freezes the definition.</summary>
        public GrpcServiceDefinition Build() => new(_serviceName, _descriptor, _methods.ToArray());

        private Builder Add(ServerMethodHandler method)
        {
            _methods.Add(method);
            return this;
        }

        private void Check(string name, object parser, object handler, MethodType type)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentNullException.ThrowIfNull(parser);
            ArgumentNullException.ThrowIfNull(handler);
            if (_methods.Exists(m => m.Name == name))
            {
                throw new ArgumentException($"Method '{name}' is already registered on service '{_serviceName}'.", nameof(name));
            }

            if (_descriptor is null)
            {
                return;
            }

            var method = _descriptor.FindMethodByName(name)
                ?? throw new ArgumentException($"Service '{_serviceName}' has no method '{name}' in its descriptor.", nameof(name));
            var declared = (method.IsClientStreaming, method.IsServerStreaming) switch
            {
                (false, false) => MethodType.Unary,
                (true, false) => MethodType.ClientStreaming,
                (false, true) => MethodType.ServerStreaming,
                _ => MethodType.DuplexStreaming,
            };
            if (declared != type)
            {
                throw new ArgumentException($"Method '{_serviceName}/{name}' is {declared} in its descriptor but was registered as {type}.", nameof(name));
            }
        }
    }
}
