// Drives a REAL Switchboard silo over the public switchboard.v1 protos with @grpc/grpc-js, a gRPC
// implementation Switchboard did not write: an adapter offers calls, agents log in and take them over
// their streams, a wallboard watches the figures change, bad requests get their status codes, a deadline
// is exceeded, a stream is cancelled, health reports SERVING.
// Usage: node switchboard_client.js --port 5000 [--host 127.0.0.1]
// Keys come from the environment: SB_ADMIN_KEY, SB_ADAPTER_KEY (bound to adapter js-1 or unbound),
// SB_AGENT_KEY (for agent a-1, who serves queue billing). Prints "PASS <step>" / "FAIL <step>: why";
// exits 1 when a step failed.
'use strict';
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const args = parseArgs(process.argv.slice(2));
const root = path.join(__dirname, '..', '..');
const options = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true };
const api = grpc.loadPackageDefinition(protoLoader.loadSync(
  ['switchboard/v1/telephony_adapter.proto', 'switchboard/v1/agent_desk.proto', 'switchboard/v1/wallboard.proto', 'switchboard/v1/admin.proto'],
  { ...options, includeDirs: [path.join(root, 'src/Switchboard.Contracts/Protos')] })).switchboard.v1;
// The standard health service's .proto, from Debian's grpc-proto (tests/setup.d/20-grpc-interop.sh installs it).
const health = grpc.loadPackageDefinition(protoLoader.loadSync('grpc/health/v1/health.proto',
  { ...options, includeDirs: ['/usr/share/grpc-proto'] })).grpc.health.v1;

const address = `${args.host || '127.0.0.1'}:${args.port}`;
const insecure = grpc.credentials.createInsecure();
const adapter = new api.TelephonyAdapter(address, insecure);
const desk = new api.AgentDesk(address, insecure);
const wallboard = new api.Wallboard(address, insecure);
const admin = new api.Admin(address, insecure);
const healthClient = new health.Health(address, insecure);
const keys = { admin: process.env.SB_ADMIN_KEY, adapter: process.env.SB_ADAPTER_KEY, agent: process.env.SB_AGENT_KEY };
const ADAPTER = 'js-1';
const AGENT = 'a-1';

function meta(key, extra) {
  const m = new grpc.Metadata();
  if (key) m.set('authorization', `Bearer ${key}`);
  for (const [k, v] of Object.entries(extra || {})) m.set(k, v);
  return m;
}
function unary(client, method, request, key, deadlineMs = 5000) {
  return new Promise((resolve, reject) => client[method](request, meta(key), { deadline: Date.now() + deadlineMs }, (err, res) => (err ? reject(err) : resolve(res))));
}
async function expectStatus(promise, code, contains) {
  try { await promise; } catch (err) {
    check(err.code === code, `expected ${codeName(code)}, got ${codeName(err.code)}: ${err.details}`);
    if (contains) check(err.details.includes(contains), `message "${err.details}" does not mention ${contains}`);
    return err;
  }
  throw new Error(`expected ${codeName(code)}, but the call succeeded`);
}
function codeName(code) { return Object.keys(grpc.status).find((k) => grpc.status[k] === code) || String(code); }
function check(condition, why) { if (!condition) throw new Error(why); }

// Reads a stream one message at a time, each read with its own time limit.
function reader(call) {
  const queue = []; const waiters = []; let ended = null;
  const settle = () => {
    while (waiters.length && (queue.length || ended)) {
      const w = waiters.shift();
      clearTimeout(w.timer);
      if (queue.length) w.resolve(queue.shift()); else if (ended.error) w.reject(ended.error); else w.resolve(null);
    }
  };
  call.on('data', (m) => { queue.push(m); settle(); });
  call.on('end', () => { ended = ended || {}; settle(); });
  call.on('error', (e) => { ended = { error: e }; settle(); });
  const read = (ms = 15000) => new Promise((resolve, reject) => {
    const w = { resolve, reject };
    w.timer = setTimeout(() => { waiters.splice(waiters.indexOf(w), 1); reject(new Error(`no message within ${ms} ms`)); }, ms);
    waiters.push(w); settle();
  });
  read.until = async (match, what, ms = 15000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = await read(Math.max(1, deadline - Date.now()));
      if (m === null) throw new Error(`stream ended before ${what}`);
      if (match(m)) return m;
    }
  };
  return read;
}

const state = {};
const steps = {
  async health_serving() {
    const res = await new Promise((resolve, reject) => healthClient.Check({ service: '' }, (e, r) => (e ? reject(e) : resolve(r))));
    check(res.status === 'SERVING', `status ${res.status}`);
    const deskHealth = await new Promise((resolve, reject) => healthClient.Check({ service: 'switchboard.v1.AgentDesk' }, (e, r) => (e ? reject(e) : resolve(r))));
    check(deskHealth.status === 'SERVING', `AgentDesk status ${deskHealth.status}`);
  },

  async adapter_connects() {
    state.connect = adapter.Connect(meta(keys.adapter));
    state.instructions = reader(state.connect);
    state.connect.write({ hello: { adapter_id: ADAPTER, software: 'grpc-js interop' } });
    const first = await state.instructions();
    check(first.message === 'accepted', `first message is ${first.message}`);
    check(first.accepted.adapter_id === ADAPTER, `accepted for ${first.accepted.adapter_id}`);
  },

  async agent_logs_in_and_subscribes() {
    const login = await unary(desk, 'Login', { agent_id: AGENT, station: 'user/js-1' }, keys.agent);
    check(login.status.state === 'AGENT_STATE_NOT_READY', `after login ${login.status.state}`);
    state.desk = desk.Subscribe({ agent_id: AGENT }, meta(keys.agent));
    state.events = reader(state.desk);
    const snapshot = await state.events();
    check(snapshot.event === 'snapshot' && Number(snapshot.sequence) === 1, `first event ${snapshot.event} #${snapshot.sequence}`);
    const ready = await unary(desk, 'SetState', { agent_id: AGENT, state: 'AGENT_STATE_AVAILABLE' }, keys.agent);
    check(ready.status.state === 'AGENT_STATE_AVAILABLE', `after SetState ${ready.status.state}`);
  },

  async wallboard_snapshot() {
    state.board = wallboard.Subscribe({ scopes: [{ kind: 'SCOPE_KIND_QUEUE', id: 'billing' }], min_update_interval: { seconds: 0, nanos: 100e6 } }, meta(keys.admin));
    state.updates = reader(state.board);
    const first = await state.updates();
    check(first.snapshot === true, 'first update is not a snapshot');
    state.answeredBefore = Number(first.figures.answered);
  },

  async call_offered_rung_answered_and_wrapped_up() {
    const offered = await unary(adapter, 'OfferCall', { adapter_id: ADAPTER, external_call_id: 'js-call-1', caller_number: '+4930123456', queue_id: 'billing', call_data: { account: 'K-7' } }, keys.adapter);
    check(offered.call_id.length > 0, 'no call id');
    const offer = await state.events.until((e) => e.event === 'offer', 'an offer on the desk stream');
    check(offer.offer.call_id === offered.call_id, `offer for ${offer.offer.call_id}`);
    check(offer.offer.call_data.account === 'K-7', 'call data not passed');
    const ring = await state.instructions.until((m) => m.message === 'instruction' && m.instruction.action === 'ring_agent', 'RING_AGENT');
    check(ring.instruction.ring_agent.agent_id === AGENT, `ring for ${ring.instruction.ring_agent.agent_id}`);
    check(ring.instruction.ring_agent.endpoint === 'user/js-1', `ring at ${ring.instruction.ring_agent.endpoint}`);
    state.connect.write({ ack: { instruction_id: ring.instruction.instruction_id, outcome: 'ACK_OUTCOME_DONE' } });
    const answered = await unary(adapter, 'ReportCallEvent', { adapter_id: ADAPTER, external_call_id: 'js-call-1', event_id: 'js-call-1:1', answered: { agent_id: AGENT } }, keys.adapter);
    check(answered.state === 'CALL_STATE_ANSWERED', `after ANSWERED ${answered.state}`);
    await state.events.until((e) => e.event === 'call_update' && e.call_update.state === 'CALL_STATE_ANSWERED', 'call answered on the desk');
    const ended = await unary(adapter, 'ReportCallEvent', { adapter_id: ADAPTER, call_id: offered.call_id, event_id: 'js-call-1:2', ended: { ended_by: 'CALL_ENDED_BY_CALLER' } }, keys.adapter);
    check(ended.state === 'CALL_STATE_COMPLETED', `after ENDED ${ended.state}`);
    await state.events.until((e) => e.event === 'call_update' && e.call_update.state === 'CALL_STATE_COMPLETED', 'wrap-up on the desk');
    const finished = await unary(desk, 'FinishWrapUp', { agent_id: AGENT, call_id: offered.call_id }, keys.agent);
    check(finished.status.state === 'AGENT_STATE_AVAILABLE', `after wrap-up ${finished.status.state}`);
  },

  async wallboard_sees_figures_change() {
    const update = await state.updates.until((u) => Number(u.figures.answered) > state.answeredBefore, 'an update with the answered call');
    check(update.snapshot === false, 'a change is marked as a snapshot');
    check(Number(update.figures.offered) >= 1, `offered ${update.figures.offered}`);
  },

  async bad_requests_get_their_status() {
    await expectStatus(unary(adapter, 'OfferCall', { adapter_id: ADAPTER, external_call_id: 'bad', caller_number: '+1' }, keys.adapter), grpc.status.INVALID_ARGUMENT, 'queue_id');
    await expectStatus(unary(adapter, 'OfferCall', { adapter_id: ADAPTER, external_call_id: 'bad', caller_number: '+1', queue_id: 'no-such-queue' }, keys.adapter), grpc.status.NOT_FOUND, 'no-such-queue');
    await expectStatus(unary(admin, 'ListQueues', {}, null), grpc.status.UNAUTHENTICATED);
    await expectStatus(unary(admin, 'ListQueues', {}, 'wrong-key-0000000000'), grpc.status.UNAUTHENTICATED);
    await expectStatus(unary(admin, 'ListQueues', {}, keys.adapter), grpc.status.PERMISSION_DENIED);
    await expectStatus(unary(desk, 'Login', { agent_id: 'a-2', station: 'x' }, keys.agent), grpc.status.PERMISSION_DENIED, 'a-2');
    await expectStatus(unary(desk, 'Hold', { agent_id: AGENT, call_id: 'not-a-call' }, keys.agent), grpc.status.FAILED_PRECONDITION, 'not-a-call');
    await expectStatus(unary(desk, 'SetState', { agent_id: AGENT, state: 'AGENT_STATE_NOT_READY' }, keys.agent), grpc.status.INVALID_ARGUMENT, 'reason_code');
    await expectStatus(unary(adapter, 'OfferCall', { adapter_id: ADAPTER, external_call_id: 'x'.repeat(64), caller_number: '+1', queue_id: 'billing' }, keys.adapter), grpc.status.INVALID_ARGUMENT, 'external_call_id');
    const queues = await unary(admin, 'ListQueues', {}, keys.admin);
    check(queues.queues.some((q) => q.id === 'billing'), 'billing not listed');
  },

  async queue_rules_get_their_status() {
    await unary(admin, 'UpsertQueue', { queue: { id: 'js-closed', closed: true } }, keys.admin);
    await expectStatus(unary(adapter, 'OfferCall', { adapter_id: ADAPTER, external_call_id: 'js-c1', caller_number: '+1', queue_id: 'js-closed' }, keys.adapter), grpc.status.FAILED_PRECONDITION, 'js-closed');
    await unary(admin, 'UpsertQueue', { queue: { id: 'js-full', max_calls: 1 } }, keys.admin);
    await unary(adapter, 'OfferCall', { adapter_id: ADAPTER, external_call_id: 'js-f1', caller_number: '+1', queue_id: 'js-full' }, keys.adapter);
    await expectStatus(unary(adapter, 'OfferCall', { adapter_id: ADAPTER, external_call_id: 'js-f2', caller_number: '+1', queue_id: 'js-full' }, keys.adapter), grpc.status.RESOURCE_EXHAUSTED, 'max_calls is 1');
    const listed = (await unary(admin, 'ListQueues', {}, keys.admin)).queues.find((q) => q.id === 'js-full');
    check(listed && listed.max_calls === 1, `js-full listed with max_calls ${listed && listed.max_calls}`);
  },

  async deadline_exceeded() {
    const board = wallboard.Subscribe({ scopes: [{ kind: 'SCOPE_KIND_CENTER', id: '' }] }, meta(keys.admin), { deadline: Date.now() + 500 });
    const read = reader(board);
    const first = await read();
    check(first && first.snapshot, 'no snapshot before the deadline');
    await expectStatus(read.until(() => false, 'the deadline', 10000), grpc.status.DEADLINE_EXCEEDED);
  },

  async stream_cancelled() {
    const board = wallboard.Subscribe({ scopes: [{ kind: 'SCOPE_KIND_QUEUE', id: 'billing' }] }, meta(keys.admin));
    const read = reader(board);
    await read();
    board.cancel();
    await expectStatus(read.until(() => false, 'the cancellation', 10000), grpc.status.CANCELLED);
    // The silo goes on serving.
    const again = await unary(admin, 'ListQueues', {}, keys.admin);
    check(again.queues.length > 0, 'no queues after the cancellation');
  },

  async adapter_reconnect_replaces_the_old_stream() {
    const old = reader(state.connect);
    const second = adapter.Connect(meta(keys.adapter, { 'x-switchboard-adapter-id': ADAPTER }));
    const read = reader(second);
    const accepted = await read();
    check(accepted.message === 'accepted', `first message ${accepted.message}`);
    await expectStatus(state.instructions.until(() => false, 'the replacement', 10000), grpc.status.ABORTED);
    void old;
    second.end();
    second.cancel();
  },
};

(async () => {
  let failed = 0;
  for (const [name, step] of Object.entries(steps)) {
    try { await step(); console.log(`PASS ${name}`); } catch (err) { failed++; console.log(`FAIL ${name}: ${err.message}`); }
  }
  for (const call of [state.desk, state.board]) { try { call && call.cancel(); } catch { /* closing */ } }
  for (const client of [adapter, desk, wallboard, admin, healthClient]) client.close();
  process.exit(failed ? 1 : 0);
})();

function parseArgs(argv) {
  const result = {};
  for (let i = 0; i < argv.length; i += 2) result[argv[i].replace(/^--/, '')] = argv[i + 1];
  return result;
}
