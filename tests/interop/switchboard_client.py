"""The real silo driven over the public switchboard.v1 API by grpcio (C-core), a gRPC implementation Switchboard did
not write. Run with Debian's interpreter, which has python3-grpcio and python3-protobuf:

    /usr/bin/python3 switchboard_client.py --port 5000 --descriptors api.pb [--host 127.0.0.1]

api.pb is a FileDescriptorSet of switchboard.v1, grpc.health.v1 and grpc.reflection.v1 (the test writes it from the descriptors compiled
into the silo): the message classes are built from it at run time, so nothing generated is checked in and no protoc
is needed. Keys come from SB_ADMIN_KEY, SB_ADAPTER_KEY (bound to adapter py-1) and SB_AGENT_KEY (agent a-1).
Prints "PASS <step>" or "FAIL <step>: <why>" per step; exits 1 when any step failed.
"""
import argparse
import os
import queue
import sys
import threading
import time

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
# The well-known types our files import, registered in the default pool before them.
from google.protobuf import duration_pb2, empty_pb2, struct_pb2, timestamp_pb2, wrappers_pb2  # noqa: F401

ADAPTER = "py-1"
AGENT = "a-1"


class Api:
    """Message classes and enum numbers by full name, and a stub per RPC."""

    def __init__(self, descriptors, channel):
        files = descriptor_pb2.FileDescriptorSet()
        with open(descriptors, "rb") as source:
            files.ParseFromString(source.read())
        self.pool = descriptor_pool.Default()
        for file in files.file:
            if not file.name.startswith("google/protobuf/"):
                self.pool.Add(file)
        self.channel = channel

    def message(self, full_name, **fields):
        descriptor = self.pool.FindMessageTypeByName(full_name)
        cls = message_factory.GetMessageClass(descriptor) if hasattr(message_factory, "GetMessageClass") \
            else message_factory.MessageFactory(self.pool).GetPrototype(descriptor)
        return cls(**fields)

    def enum(self, full_name, value):
        return self.pool.FindEnumTypeByName(full_name).values_by_name[value].number

    def enum_name(self, full_name, number):
        return self.pool.FindEnumTypeByName(full_name).values_by_number[number].name

    def _method(self, service, name):
        method = self.pool.FindServiceByName(service).FindMethodByName(name)
        response = self.message(method.output_type.full_name)
        path = "/%s/%s" % (service, name)
        kind = (method.client_streaming, method.server_streaming)
        make = {(False, False): self.channel.unary_unary, (False, True): self.channel.unary_stream,
                (True, False): self.channel.stream_unary, (True, True): self.channel.stream_stream}[kind]
        return make(path, request_serializer=lambda m: m.SerializeToString(), response_deserializer=type(response).FromString)

    def call(self, service, name, request, key=None, timeout=5.0):
        return self._method("switchboard.v1." + service, name)(request, metadata=meta(key), timeout=timeout)

    def stream(self, service, name, request, key=None, extra=()):
        return self._method(service if "." in service else "switchboard.v1." + service, name)(request, metadata=meta(key, extra))


def meta(key, extra=()):
    pairs = [("authorization", "Bearer " + key)] if key else []
    return pairs + list(extra)


class Reader:
    """Reads a response stream on a thread, so each read has its own time limit."""

    def __init__(self, responses):
        self.responses = responses
        self.items = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        try:
            for item in self.responses:
                self.items.put(("message", item))
            self.items.put(("end", None))
        except grpc.RpcError as error:
            self.items.put(("error", error))

    def read(self, timeout=15.0):
        kind, item = self.items.get(timeout=timeout)
        if kind == "error":
            raise item
        return item

    def until(self, match, what, timeout=15.0):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no %s within %.0f s" % (what, timeout))
            try:
                item = self.read(left)
            except queue.Empty:
                raise AssertionError("no %s within %.0f s" % (what, timeout))
            if item is None:
                raise AssertionError("stream ended before %s" % what)
            if match(item):
                return item


class Pipe:
    """A request iterator fed one message at a time, for a duplex stream."""

    def __init__(self):
        self.items = queue.Queue()

    def add(self, message):
        self.items.put(message)

    def close(self):
        self.items.put(None)

    def __iter__(self):
        return self

    def __next__(self):
        item = self.items.get()
        if item is None:
            raise StopIteration()
        return item


def check(condition, why):
    if not condition:
        raise AssertionError(why)


def expect_status(action, code, contains=None):
    try:
        action()
    except grpc.RpcError as error:
        check(error.code() == code, "expected %s, got %s: %s" % (code, error.code(), error.details()))
        if contains:
            check(contains in (error.details() or ""), "message %r does not mention %s" % (error.details(), contains))
        return error
    raise AssertionError("expected %s, but the call succeeded" % code)


def run(api, keys):
    m = api.message
    state = {}

    def health_serving():
        check_health = api._method("grpc.health.v1.Health", "Check")
        serving = api.enum("grpc.health.v1.HealthCheckResponse.ServingStatus", "SERVING")
        for service in ("", "switchboard.v1.AgentDesk"):
            response = check_health(m("grpc.health.v1.HealthCheckRequest", service=service), timeout=5)
            check(response.status == serving, "%r is %s" % (service, response.status))

    def reflection_lists_the_api():
        info = api._method("grpc.reflection.v1.ServerReflection", "ServerReflectionInfo")
        requests = [m("grpc.reflection.v1.ServerReflectionRequest", list_services=""),
                    m("grpc.reflection.v1.ServerReflectionRequest", file_containing_symbol="switchboard.v1.AgentDesk")]
        responses = list(info(iter(requests), timeout=10))
        check(len(responses) == 2, "%d responses" % len(responses))
        names = [service.name for service in responses[0].list_services_response.service]
        for name in ("switchboard.v1.TelephonyAdapter", "switchboard.v1.AgentDesk", "switchboard.v1.Wallboard", "switchboard.v1.Admin", "grpc.health.v1.Health"):
            check(name in names, "%s not listed: %s" % (name, names))
        files = [descriptor_pb2.FileDescriptorProto.FromString(b) for b in responses[1].file_descriptor_response.file_descriptor_proto]
        check(any(any(s.name == "AgentDesk" for s in f.service) for f in files), "AgentDesk's file not served")

    def adapter_connects():
        state["pipe"] = Pipe()
        state["connect"] = api.stream("TelephonyAdapter", "Connect", state["pipe"], keys["adapter"])
        state["instructions"] = Reader(state["connect"])
        state["pipe"].add(m("switchboard.v1.ConnectRequest", hello=m("switchboard.v1.AdapterHello", adapter_id=ADAPTER, software="grpcio interop")))
        first = state["instructions"].read()
        check(first.WhichOneof("message") == "accepted", "first message is %s" % first.WhichOneof("message"))
        check(first.accepted.adapter_id == ADAPTER, "accepted for %s" % first.accepted.adapter_id)

    def agent_logs_in_and_subscribes():
        login = api.call("AgentDesk", "Login", m("switchboard.v1.LoginRequest", agent_id=AGENT, station="user/py-1"), keys["agent"])
        check(api.enum_name("switchboard.v1.AgentState", login.status.state) == "AGENT_STATE_NOT_READY", "after login %s" % login.status.state)
        state["events"] = Reader(api.stream("AgentDesk", "Subscribe", m("switchboard.v1.AgentSubscribeRequest", agent_id=AGENT), keys["agent"]))
        snapshot = state["events"].read()
        check(snapshot.WhichOneof("event") == "snapshot", "first event %s" % snapshot.WhichOneof("event"))
        available = api.enum("switchboard.v1.AgentState", "AGENT_STATE_AVAILABLE")
        ready = api.call("AgentDesk", "SetState", m("switchboard.v1.SetStateRequest", agent_id=AGENT, state=available), keys["agent"])
        check(ready.status.state == available, "after SetState %s" % ready.status.state)

    def call_offered_rung_answered_and_wrapped_up():
        offered = api.call("TelephonyAdapter", "OfferCall", m("switchboard.v1.OfferCallRequest", adapter_id=ADAPTER, external_call_id="py-call-1",
                                                              caller_number="+4930123456", queue_id="billing", call_data={"account": "K-7"}), keys["adapter"])
        check(offered.call_id, "no call id")
        offer = state["events"].until(lambda e: e.WhichOneof("event") == "offer", "an offer on the desk stream")
        check(offer.offer.call_id == offered.call_id, "offer for %s" % offer.offer.call_id)
        check(offer.offer.call_data["account"] == "K-7", "call data not passed")
        ring = state["instructions"].until(
            lambda r: r.WhichOneof("message") == "instruction" and r.instruction.WhichOneof("action") == "ring_agent", "RING_AGENT")
        check(ring.instruction.ring_agent.agent_id == AGENT, "ring for %s" % ring.instruction.ring_agent.agent_id)
        check(ring.instruction.ring_agent.endpoint == "user/py-1", "ring at %s" % ring.instruction.ring_agent.endpoint)
        # A no-answer naming an agent the call is not ringing is refused, and the call stays with its agent.
        expect_status(lambda: api.call("TelephonyAdapter", "ReportCallEvent", m("switchboard.v1.ReportCallEventRequest", adapter_id=ADAPTER, call_id=offered.call_id,
                                                                                event_id="py-call-1:wrong", agent_no_answer=m("switchboard.v1.AgentNoAnswer", agent_id="a-2")), keys["adapter"]),
                      grpc.StatusCode.FAILED_PRECONDITION, "not a-2")
        done = api.enum("switchboard.v1.AckOutcome", "ACK_OUTCOME_DONE")
        state["pipe"].add(m("switchboard.v1.ConnectRequest", ack=m("switchboard.v1.InstructionAck", instruction_id=ring.instruction.instruction_id, outcome=done)))
        answered = api.call("TelephonyAdapter", "ReportCallEvent", m("switchboard.v1.ReportCallEventRequest", adapter_id=ADAPTER, external_call_id="py-call-1",
                                                                     event_id="py-call-1:1", answered=m("switchboard.v1.CallAnswered", agent_id=AGENT)), keys["adapter"])
        check(api.enum_name("switchboard.v1.CallState", answered.state) == "CALL_STATE_ANSWERED", "after ANSWERED %s" % answered.state)
        by_caller = api.enum("switchboard.v1.CallEndedBy", "CALL_ENDED_BY_CALLER")
        ended = api.call("TelephonyAdapter", "ReportCallEvent", m("switchboard.v1.ReportCallEventRequest", adapter_id=ADAPTER, call_id=offered.call_id,
                                                                  event_id="py-call-1:2", ended=m("switchboard.v1.CallEnded", ended_by=by_caller)), keys["adapter"])
        check(api.enum_name("switchboard.v1.CallState", ended.state) == "CALL_STATE_COMPLETED", "after ENDED %s" % ended.state)
        completed = api.enum("switchboard.v1.CallState", "CALL_STATE_COMPLETED")
        state["events"].until(lambda e: e.WhichOneof("event") == "call_update" and e.call_update.state == completed, "wrap-up on the desk")
        finished = api.call("AgentDesk", "FinishWrapUp", m("switchboard.v1.FinishWrapUpRequest", agent_id=AGENT, call_id=offered.call_id), keys["agent"])
        check(api.enum_name("switchboard.v1.AgentState", finished.status.state) == "AGENT_STATE_AVAILABLE", "after wrap-up %s" % finished.status.state)

    def bad_requests_get_their_status():
        offer = lambda **f: lambda: api.call("TelephonyAdapter", "OfferCall", m("switchboard.v1.OfferCallRequest", adapter_id=ADAPTER, caller_number="+1", **f), keys["adapter"])
        expect_status(offer(external_call_id="bad"), grpc.StatusCode.INVALID_ARGUMENT, "queue_id")
        expect_status(offer(external_call_id="bad", queue_id="no-such-queue"), grpc.StatusCode.NOT_FOUND, "no-such-queue")
        list_queues = lambda key: lambda: api.call("Admin", "ListQueues", m("switchboard.v1.ListQueuesRequest"), key)
        expect_status(list_queues(None), grpc.StatusCode.UNAUTHENTICATED, "no API key")
        expect_status(list_queues("wrong-key-0000000000"), grpc.StatusCode.UNAUTHENTICATED, "unknown API key")
        expect_status(list_queues(keys["adapter"]), grpc.StatusCode.PERMISSION_DENIED, "adapter")
        not_ready = api.enum("switchboard.v1.AgentState", "AGENT_STATE_NOT_READY")
        expect_status(lambda: api.call("AgentDesk", "SetState", m("switchboard.v1.SetStateRequest", agent_id=AGENT, state=not_ready), keys["agent"]),
                      grpc.StatusCode.INVALID_ARGUMENT, "reason_code")
        check(any(q.id == "billing" for q in list_queues(keys["admin"])().queues), "billing not listed")
        # Finishing the wrap-up of a call the agent never had changes nothing and says why.
        expect_status(lambda: api.call("AgentDesk", "FinishWrapUp", m("switchboard.v1.FinishWrapUpRequest", agent_id=AGENT, call_id="a-call-never-had"), keys["agent"]),
                      grpc.StatusCode.FAILED_PRECONDITION, "a-call-never-had")
        # Another agent's offer, or one never made, is NOT_FOUND (agent_desk.proto), not FAILED_PRECONDITION.
        expect_status(lambda: api.call("AgentDesk", "AcceptOffer", m("switchboard.v1.AcceptOfferRequest", agent_id=AGENT, offer_id="someone-elses-offer"), keys["agent"]),
                      grpc.StatusCode.NOT_FOUND, "someone-elses-offer")

    def queue_defaults_follow_the_protos():
        # admin.proto: a queue that sets no ring_timeout rings 20 s; no max_wrap_up, 60 s.
        api.call("Admin", "UpsertQueue", m("switchboard.v1.UpsertQueueRequest", queue=m("switchboard.v1.Queue", id="py-defaults")), keys["admin"])
        listed = [q for q in api.call("Admin", "ListQueues", m("switchboard.v1.ListQueuesRequest"), keys["admin"]).queues if q.id == "py-defaults"]
        check(len(listed) == 1, "py-defaults not listed")
        check(listed[0].ring_timeout.seconds == 20, "ring_timeout %ss" % listed[0].ring_timeout.seconds)
        check(listed[0].max_wrap_up.seconds == 60, "max_wrap_up %ss" % listed[0].max_wrap_up.seconds)

    def an_upsert_that_changes_nothing_keeps_a_usable_etag():
        # admin.proto: send the etag you read; an upsert that changes nothing must answer the etag that is stored.
        upsert = lambda queue: api.call("Admin", "UpsertQueue", m("switchboard.v1.UpsertQueueRequest", queue=queue), keys["admin"]).queue
        first = upsert(m("switchboard.v1.Queue", id="py-etag", display_name="Etag"))
        same = upsert(m("switchboard.v1.Queue", id="py-etag", display_name="Etag", etag=first.etag))
        check(same.etag == first.etag, "a no-op upsert answered etag %s, %s is stored" % (same.etag, first.etag))
        changed = upsert(m("switchboard.v1.Queue", id="py-etag", display_name="Etag 2", etag=same.etag))
        check(changed.display_name == "Etag 2", "the change with the answered etag was not applied")

    def deadline_exceeded():
        center = api.enum("switchboard.v1.ScopeKind", "SCOPE_KIND_CENTER")
        request = m("switchboard.v1.WallboardSubscribeRequest", scopes=[m("switchboard.v1.Scope", kind=center)])
        board = api._method("switchboard.v1.Wallboard", "Subscribe")(request, metadata=meta(keys["admin"]), timeout=0.5)
        updates = Reader(board)
        check(updates.read().snapshot, "no snapshot before the deadline")
        expect_status(lambda: updates.until(lambda _: False, "the deadline", 10), grpc.StatusCode.DEADLINE_EXCEEDED)

    failed = 0
    for step in (health_serving, reflection_lists_the_api, adapter_connects, agent_logs_in_and_subscribes, call_offered_rung_answered_and_wrapped_up,
                 bad_requests_get_their_status, queue_defaults_follow_the_protos,
                 an_upsert_that_changes_nothing_keeps_a_usable_etag, deadline_exceeded):
        try:
            step()
            print("PASS " + step.__name__, flush=True)
        except Exception as error:  # noqa: BLE001 - every failure is reported by name
            failed += 1
            print("FAIL %s: %s" % (step.__name__, error), flush=True)
    if "pipe" in state:
        state["pipe"].close()
    return failed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", required=True)
    parser.add_argument("--descriptors", required=True)
    args = parser.parse_args()
    keys = {"admin": os.environ["SB_ADMIN_KEY"], "adapter": os.environ["SB_ADAPTER_KEY"], "agent": os.environ["SB_AGENT_KEY"]}
    with grpc.insecure_channel("%s:%s" % (args.host, args.port)) as channel:
        failed = run(Api(args.descriptors, channel), keys)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
