using Switchboard.Grpc.Server;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace Switchboard.Grpc.Reflection;

/// <summary>
/// <c>grpc.reflection.v1.ServerReflection</c> and its predecessor <c>v1alpha</c> (still what many tools ask
/// for), so grpcurl-style tools can list services and fetch their .proto descriptors. Services registered
/// by name only (no descriptor) are listed but have no files.
/// </summary>
internal sealed class GrpcReflectionService(GrpcServiceRegistry registry)
{
    private ReflectionIndex? _index;

    public GrpcServiceDefinition CreateV1Definition() =>
        GrpcServiceDefinition.CreateBuilder(V1.ReflectionReflection.Descriptor.Services[0])
            .AddDuplexStreamingMethod<V1.ServerReflectionRequest, V1.ServerReflectionResponse>("ServerReflectionInfo", V1.ServerReflectionRequest.Parser, V1Async)
            .Build();

    public GrpcServiceDefinition CreateV1AlphaDefinition() =>
        GrpcServiceDefinition.CreateBuilder(V1Alpha.ReflectionReflection.Descriptor.Services[0])
            .AddDuplexStreamingMethod<V1Alpha.ServerReflectionRequest, V1Alpha.ServerReflectionResponse>("ServerReflectionInfo", V1Alpha.ServerReflectionRequest.Parser, V1AlphaAsync)
            .Build();

    private ReflectionIndex Index()
    {
        // Services may be mapped after this one: rebuild when the registry has changed.
        var services = registry.Services;
        var index = _index;
        if (index is null || !ReferenceEquals(index.Services, services))
        {
            _index = index = new ReflectionIndex(services);
        }

        return index;
    }

    private async Task V1Async(
        IAsyncStreamReader<V1.ServerReflectionRequest> requests,
        IServerStreamWriter<V1.ServerReflectionResponse> responses,
        ServerCallContext context)
    {
        while (await requests.MoveNext(context.CancellationToken))
        {
            var request = requests.Current;
            var index = Index();
            var response = new V1.ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
            IReadOnlyList<Google.Protobuf.ByteString>? files = null;
            string? missing = null;
            switch (request.MessageRequestCase)
            {
                case V1.ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                    response.ListServicesResponse = new V1.ListServiceResponse();
                    foreach (var name in index.ServiceNames)
                    {
                        response.ListServicesResponse.Service.Add(new V1.ServiceResponse { Name = name });
                    }

                    break;
                case V1.ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                    files = index.FileByName(request.FileByFilename);
                    missing = files is null ? $"File '{request.FileByFilename}' not found." : null;
                    break;
                case V1.ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                    files = index.FileContainingSymbol(request.FileContainingSymbol);
                    missing = files is null ? $"Symbol '{request.FileContainingSymbol}' not found." : null;
                    break;
                case V1.ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType when index.IsKnownMessageType(request.AllExtensionNumbersOfType):
                    // proto3 has no extensions: a known type simply has none.
                    response.AllExtensionNumbersResponse = new V1.ExtensionNumberResponse { BaseTypeName = request.AllExtensionNumbersOfType };
                    break;
                default:
                    missing = $"No answer for a {request.MessageRequestCase} request: extensions are not served.";
                    break;
            }

            if (missing is not null)
            {
                response.ErrorResponse = new V1.ErrorResponse { ErrorCode = (int)StatusCode.NotFound, ErrorMessage = missing };
            }
            else if (files is not null)
            {
                response.FileDescriptorResponse = new V1.FileDescriptorResponse();
                response.FileDescriptorResponse.FileDescriptorProto.AddRange(files);
            }

            await responses.WriteAsync(response, context.CancellationToken);
        }
    }

    private async Task V1AlphaAsync(
        IAsyncStreamReader<V1Alpha.ServerReflectionRequest> requests,
        IServerStreamWriter<V1Alpha.ServerReflectionResponse> responses,
        ServerCallContext context)
    {
        while (await requests.MoveNext(context.CancellationToken))
        {
            var request = requests.Current;
            var index = Index();
            var response = new V1Alpha.ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
            IReadOnlyList<Google.Protobuf.ByteString>? files = null;
            string? missing = null;
            switch (request.MessageRequestCase)
            {
                case V1Alpha.ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                    response.ListServicesResponse = new V1Alpha.ListServiceResponse();
                    foreach (var name in index.ServiceNames)
                    {
                        response.ListServicesResponse.Service.Add(new V1Alpha.ServiceResponse { Name = name });
                    }

                    break;
                case V1Alpha.ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                    files = index.FileByName(request.FileByFilename);
                    missing = files is null ? $"File '{request.FileByFilename}' not found." : null;
                    break;
                case V1Alpha.ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                    files = index.FileContainingSymbol(request.FileContainingSymbol);
                    missing = files is null ? $"Symbol '{request.FileContainingSymbol}' not found." : null;
                    break;
                case V1Alpha.ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType when index.IsKnownMessageType(request.AllExtensionNumbersOfType):
                    response.AllExtensionNumbersResponse = new V1Alpha.ExtensionNumberResponse { BaseTypeName = request.AllExtensionNumbersOfType };
                    break;
                default:
                    missing = $"No answer for a {request.MessageRequestCase} request: extensions are not served.";
                    break;
            }

            if (missing is not null)
            {
                response.ErrorResponse = new V1Alpha.ErrorResponse { ErrorCode = (int)StatusCode.NotFound, ErrorMessage = missing };
            }
            else if (files is not null)
            {
                response.FileDescriptorResponse = new V1Alpha.FileDescriptorResponse();
                response.FileDescriptorResponse.FileDescriptorProto.AddRange(files);
            }

            await responses.WriteAsync(response, context.CancellationToken);
        }
    }
}
