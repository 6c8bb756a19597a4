namespace Switchboard.Grpc.Tests.Interop;

/// <summary>tests/interop/interop_server.py: the TestService on Debian's grpcio (C-core).</summary>
public sealed class GrpcioInteropServer() : PeerInteropServer("/usr/bin/python3", "interop_server.py", "is python3-grpcio installed? run tests/setup.d/20-grpc-interop.sh");
