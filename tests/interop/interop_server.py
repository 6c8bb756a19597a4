"""grpc.testing.TestService served by grpcio (C-core), the server side of grpc/grpc
doc/interop-test-descriptions.md, so Switchboard's *client* is proven against a second server it did not write.

    /usr/bin/python3 interop_server.py   -> prints "port <n>" (127.0.0.1, a free port); serves until stdin closes.
"""
import os
import sys
import time
from concurrent import futures

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "python"))

import grpc  # noqa: E402
import empty_pb2  # noqa: E402
import messages_pb2 as m  # noqa: E402

CODES = {code.value[0]: code for code in grpc.StatusCode}


def payload(size):
    return m.Payload(body=b"\0" * size)


def echo_metadata(context):
    metadata = dict(context.invocation_metadata())
    if "x-grpc-test-echo-initial" in metadata:
        context.send_initial_metadata((("x-grpc-test-echo-initial", metadata["x-grpc-test-echo-initial"]),))
    if "x-grpc-test-echo-trailing-bin" in metadata:
        context.set_trailing_metadata((("x-grpc-test-echo-trailing-bin", metadata["x-grpc-test-echo-trailing-bin"]),))


def fail_if_requested(status, context):
    if status.code:
        context.set_code(CODES[status.code])
        context.set_details(status.message)
        return True
    return False


def empty_call(request, context):
    return empty_pb2.Empty()


def unary_call(request, context):
    echo_metadata(context)
    if fail_if_requested(request.response_status, context):
        return m.SimpleResponse()
    return m.SimpleResponse(payload=payload(request.response_size))


def streaming_output_call(request, context):
    echo_metadata(context)
    for parameters in request.response_parameters:
        if parameters.interval_us:
            time.sleep(parameters.interval_us / 1e6)
        yield m.StreamingOutputCallResponse(payload=payload(parameters.size))


def streaming_input_call(requests, context):
    return m.StreamingInputCallResponse(aggregated_payload_size=sum(len(r.payload.body) for r in requests))


def full_duplex_call(requests, context):
    echo_metadata(context)
    for request in requests:
        if fail_if_requested(request.response_status, context):
            return
        for parameters in request.response_parameters:
            yield m.StreamingOutputCallResponse(payload=payload(parameters.size))


def main():
    def handler(kind, fn, request, response):
        return kind(fn, request_deserializer=request.FromString, response_serializer=response.SerializeToString)

    handlers = {
        "EmptyCall": handler(grpc.unary_unary_rpc_method_handler, empty_call, empty_pb2.Empty, empty_pb2.Empty),
        "UnaryCall": handler(grpc.unary_unary_rpc_method_handler, unary_call, m.SimpleRequest, m.SimpleResponse),
        "StreamingOutputCall": handler(grpc.unary_stream_rpc_method_handler, streaming_output_call,
                                       m.StreamingOutputCallRequest, m.StreamingOutputCallResponse),
        "StreamingInputCall": handler(grpc.stream_unary_rpc_method_handler, streaming_input_call,
                                      m.StreamingInputCallRequest, m.StreamingInputCallResponse),
        "FullDuplexCall": handler(grpc.stream_stream_rpc_method_handler, full_duplex_call,
                                  m.StreamingOutputCallRequest, m.StreamingOutputCallResponse),
    }
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("grpc.testing.TestService", handlers),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print("port %d" % port, flush=True)
    sys.stdin.read()
    server.stop(0)


if __name__ == "__main__":
    main()
