namespace Switchboard.Grpc.Tests.Interop;

/// <summary>tests/interop/interop_server.js: the TestService on @grpc/grpc-js.</summary>
public sealed class GrpcJsInteropServer() : PeerInteropServer("node", "interop_server.js", "is @grpc/grpc-js installed? run tests/setup.d/20-grpc-interop.sh");
