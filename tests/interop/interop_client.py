"""The client side of grpc/grpc doc/interop-test-descriptions.md with grpcio (C-core), a gRPC
implementation Switchboard did not write. Run with Debian's interpreter, which has python3-grpcio:

    /usr/bin/python3 interop_client.py --port 5000 [--host 127.0.0.1] [--cases a,b]

Prints "PASS <case>" or "FAIL <case>: <why>" per case; exits 1 when any case failed.
python/messages_pb2.py and python/empty_pb2.py are generated (see README.md) from protos/grpc/testing.
"""
import argparse
import os
import queue
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "python"))

import grpc  # noqa: E402
import empty_pb2  # noqa: E402
import messages_pb2 as m  # noqa: E402

REQUEST_SIZES = [27182, 8, 1828, 45904]
RESPONSE_SIZES = [31415, 9, 2653, 58979]
SERVICE = "/grpc.testing.TestService/"


class Pipe:
    """A request iterator fed one message at a time, for ping-pong style calls."""

    def __init__(self):
        self._queue = queue.Queue()

    def add(self, message):
        self._queue.put(message)

    def close(self):
        self._queue.put(None)

    def __iter__(self):
        return self

    def __next__(self):
        item = self._queue.get()
        if item is None:
            raise StopIteration()
        return item


class Stubs:
    def __init__(self, channel):
        def uu(name, req, resp):
            return channel.unary_unary(SERVICE + name, request_serializer=req.SerializeToString, response_deserializer=resp.FromString)

        self.empty_call = uu("EmptyCall", empty_pb2.Empty, empty_pb2.Empty)
        self.unary_call = uu("UnaryCall", m.SimpleRequest, m.SimpleResponse)
        self.unimplemented_call = uu("UnimplementedCall", empty_pb2.Empty, empty_pb2.Empty)
        self.unimplemented_service = channel.unary_unary(
            "/grpc.testing.UnimplementedService/UnimplementedCall",
            request_serializer=empty_pb2.Empty.SerializeToString,
            response_deserializer=empty_pb2.Empty.FromString)
        self.streaming_output_call = channel.unary_stream(
            SERVICE + "StreamingOutputCall",
            request_serializer=m.StreamingOutputCallRequest.SerializeToString,
            response_deserializer=m.StreamingOutputCallResponse.FromString)
        self.streaming_input_call = channel.stream_unary(
            SERVICE + "StreamingInputCall",
            request_serializer=m.StreamingInputCallRequest.SerializeToString,
            response_deserializer=m.StreamingInputCallResponse.FromString)
        self.full_duplex_call = channel.stream_stream(
            SERVICE + "FullDuplexCall",
            request_serializer=m.StreamingOutputCallRequest.SerializeToString,
            response_deserializer=m.StreamingOutputCallResponse.FromString)


def payload(size):
    return m.Payload(body=b"\0" * size)


def output_request(response_size, payload_size):
    return m.StreamingOutputCallRequest(
        response_parameters=[m.ResponseParameters(size=response_size)], payload=payload(payload_size))


def check(condition, why):
    if not condition:
        raise AssertionError(why)


def expect_error(action):
    try:
        action()
    except grpc.RpcError as error:
        return error
    raise AssertionError("expected the call to fail, but it succeeded")


def empty_unary(s):
    response = s.empty_call(empty_pb2.Empty())
    check(response == empty_pb2.Empty(), "non-empty response")


def large_unary(s):
    response = s.unary_call(m.SimpleRequest(response_size=314159, payload=payload(271828)))
    check(len(response.payload.body) == 314159, "payload of %d bytes" % len(response.payload.body))


def client_streaming(s):
    requests = (m.StreamingInputCallRequest(payload=payload(size)) for size in REQUEST_SIZES)
    response = s.streaming_input_call(requests)
    check(response.aggregated_payload_size == 74922, "aggregate %d" % response.aggregated_payload_size)


def server_streaming(s):
    request = m.StreamingOutputCallRequest(response_parameters=[m.ResponseParameters(size=x) for x in RESPONSE_SIZES])
    sizes = [len(r.payload.body) for r in s.streaming_output_call(request)]
    check(sizes == RESPONSE_SIZES, "sizes %s" % sizes)


def ping_pong(s):
    pipe = Pipe()
    responses = s.full_duplex_call(pipe)
    for i in range(4):
        pipe.add(output_request(RESPONSE_SIZES[i], REQUEST_SIZES[i]))
        response = next(responses)
        check(len(response.payload.body) == RESPONSE_SIZES[i], "round %d: %d bytes" % (i, len(response.payload.body)))
    pipe.close()
    check(next(responses, None) is None, "a response after the last round")


def empty_stream(s):
    responses = s.full_duplex_call(iter([]))
    check(next(responses, None) is None, "a response to an empty stream")


def custom_metadata(s):
    metadata = (("x-grpc-test-echo-initial", "test_initial_metadata_value"),
                ("x-grpc-test-echo-trailing-bin", b"\xab\xab\xab"))

    def check_echo(initial, trailing, kind):
        check(("x-grpc-test-echo-initial", "test_initial_metadata_value") in list(initial), "%s: initial %s" % (kind, initial))
        check(("x-grpc-test-echo-trailing-bin", b"\xab\xab\xab") in list(trailing), "%s: trailing %s" % (kind, trailing))

    _, call = s.unary_call.with_call(m.SimpleRequest(response_size=314159, payload=payload(271828)), metadata=metadata)
    check_echo(call.initial_metadata(), call.trailing_metadata(), "unary")

    pipe = Pipe()
    responses = s.full_duplex_call(pipe, metadata=metadata)
    pipe.add(output_request(314159, 271828))
    pipe.close()
    for _ in responses:
        pass
    check_echo(responses.initial_metadata(), responses.trailing_metadata(), "duplex")


def status_code_and_message(s):
    message = "test status message"
    error = expect_error(lambda: s.unary_call(m.SimpleRequest(response_status=m.EchoStatus(code=2, message=message))))
    check(error.code() == grpc.StatusCode.UNKNOWN and error.details() == message, "unary: %s %r" % (error.code(), error.details()))
    pipe = Pipe()
    responses = s.full_duplex_call(pipe)
    pipe.add(m.StreamingOutputCallRequest(response_status=m.EchoStatus(code=2, message=message)))
    pipe.close()
    error = expect_error(lambda: next(responses))
    check(error.code() == grpc.StatusCode.UNKNOWN and error.details() == message, "duplex: %s %r" % (error.code(), error.details()))


def special_status_message(s):
    message = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n"
    error = expect_error(lambda: s.unary_call(m.SimpleRequest(response_status=m.EchoStatus(code=2, message=message))))
    check(error.code() == grpc.StatusCode.UNKNOWN and error.details() == message, "got %s %r" % (error.code(), error.details()))


def unimplemented_method(s):
    error = expect_error(lambda: s.unimplemented_call(empty_pb2.Empty()))
    check(error.code() == grpc.StatusCode.UNIMPLEMENTED, "got %s" % error.code())


def unimplemented_service(s):
    error = expect_error(lambda: s.unimplemented_service(empty_pb2.Empty()))
    check(error.code() == grpc.StatusCode.UNIMPLEMENTED, "got %s" % error.code())


def cancel_after_begin(s):
    pipe = Pipe()
    future = s.streaming_input_call.future(pipe)
    future.cancel()
    check(future.cancelled(), "the call was not cancelled")
    try:
        future.result()
    except grpc.FutureCancelledError:
        return
    except grpc.RpcError as error:
        check(error.code() == grpc.StatusCode.CANCELLED, "got %s" % error.code())
        return
    raise AssertionError("the cancelled call returned a response")


def cancel_after_first_response(s):
    pipe = Pipe()
    responses = s.full_duplex_call(pipe)
    pipe.add(output_request(31415, 27182))
    first = next(responses)
    check(len(first.payload.body) == 31415, "first response of %d bytes" % len(first.payload.body))
    responses.cancel()
    error = expect_error(lambda: next(responses))
    check(error.code() == grpc.StatusCode.CANCELLED, "got %s" % error.code())


def timeout_on_sleeping_server(s):
    pipe = Pipe()
    responses = s.full_duplex_call(pipe, timeout=0.001)
    pipe.add(m.StreamingOutputCallRequest(payload=payload(27182)))
    error = expect_error(lambda: next(responses))
    pipe.close()
    check(error.code() == grpc.StatusCode.DEADLINE_EXCEEDED, "got %s" % error.code())


CASES = {f.__name__: f for f in [
    empty_unary, large_unary, client_streaming, server_streaming, ping_pong, empty_stream, custom_metadata,
    status_code_and_message, special_status_message, unimplemented_method, unimplemented_service,
    cancel_after_begin, cancel_after_first_response, timeout_on_sleeping_server]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cases", default=",".join(CASES))
    args = parser.parse_args()
    failed = 0
    with grpc.insecure_channel("%s:%d" % (args.host, args.port)) as channel:
        stubs = Stubs(channel)
        for name in args.cases.split(","):
            try:
                if name not in CASES:
                    raise AssertionError("no such case")
                CASES[name](stubs)
                print("PASS %s" % name, flush=True)
            except Exception as error:  # noqa: BLE001 - every failure is a reported case, not a crash
                failed += 1
                print("FAIL %s: %s" % (name, repr(error).splitlines()[0] if repr(error) else type(error).__name__), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
