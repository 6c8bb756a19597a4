using Google.Protobuf;
using Grpc.Core;

namespace Switchboard.Gateway.Tests.Infrastructure;

/// <summary>
/// Calls by method name through a Grpc.Net.Client channel, for tests that send what the generated clients would not
/// (a wrong request type, an unknown method) or that name the method the way the docs do.
/// </summary>
internal static class ChannelCalls
{
    public static AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(this ChannelBase channel, Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class where TResponse : class =>
        channel.CreateCallInvoker().AsyncUnaryCall(method, null, options, request);

    public static AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(this ChannelBase channel, Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class where TResponse : class =>
        channel.CreateCallInvoker().AsyncServerStreamingCall(method, null, options, request);

    public static AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(this ChannelBase channel, Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class where TResponse : class =>
        channel.CreateCallInvoker().AsyncDuplexStreamingCall(method, null, options);

    public static AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(this ChannelBase channel, Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class where TResponse : class =>
        channel.CreateCallInvoker().AsyncClientStreamingCall(method, null, options);

    /// <summary>A method of <c>switchboard.v1.{service}</c> with protobuf marshallers.</summary>
    public static Method<TRequest, TResponse> Method<TRequest, TResponse>(MethodType type, string service, string method)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        new(type, $"switchboard.v1.{service}", method, Marshaller<TRequest>(), Marshaller<TResponse>());

    private static Marshaller<T> Marshaller<T>() where T : class, IMessage<T>, new()
    {
        var parser = new MessageParser<T>(() => new T());
        return Marshallers.Create(message => message.ToByteArray(), parser.ParseFrom);
    }
}
