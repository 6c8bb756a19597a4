// The client side of grpc/grpc doc/interop-test-descriptions.md with @grpc/grpc-js, a gRPC implementation
// Switchboard did not write. Usage: node interop_client.js --port 5000 [--host 127.0.0.1] [--cases a,b]
// Prints "PASS <case>" or "FAIL <case>: <why>" per case; exits 1 when any case failed.
'use strict';
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const args = parseArgs(process.argv.slice(2));
const definition = protoLoader.loadSync('grpc/testing/test.proto', {
  includeDirs: [path.join(__dirname, 'protos')],
  keepCase: false,
  defaults: true,
});
const testing = grpc.loadPackageDefinition(definition).grpc.testing;
const address = `${args.host || '127.0.0.1'}:${args.port}`;
const client = new testing.TestService(address, grpc.credentials.createInsecure());
const unimplemented = new testing.UnimplementedService(address, grpc.credentials.createInsecure());

const REQUEST_SIZES = [27182, 8, 1828, 45904];
const RESPONSE_SIZES = [31415, 9, 2653, 58979];

function payload(size) { return { body: Buffer.alloc(size) }; }
function check(condition, why) { if (!condition) throw new Error(why); }
function unary(fn, request, metadata) {
  return new Promise((resolve, reject) => {
    const call = fn.call(client, request, metadata || new grpc.Metadata(), (err, response) => (err ? reject(err) : resolve({ response, call })));
  });
}
function expectError(promise) {
  return promise.then(() => { throw new Error('expected the call to fail, but it succeeded'); }, (err) => err);
}

// Reads a duplex or server stream one message at a time.
function reader(call) {
  const queue = [];
  const waiters = [];
  let ended = null;
  const settle = () => {
    while (waiters.length && (queue.length || ended)) {
      const w = waiters.shift();
      if (queue.length) w.resolve(queue.shift());
      else if (ended.error) w.reject(ended.error);
      else w.resolve(null);
    }
  };
  call.on('data', (m) => { queue.push(m); settle(); });
  call.on('end', () => { ended = ended || {}; settle(); });
  call.on('error', (e) => { ended = { error: e }; settle(); });
  return () => new Promise((resolve, reject) => { waiters.push({ resolve, reject }); settle(); });
}
function outputRequest(responseSize, payloadSize) {
  return { responseParameters: [{ size: responseSize }], payload: payload(payloadSize) };
}

const cases = {
  async empty_unary() {
    const { response } = await unary(client.emptyCall, {});
    check(response && Object.keys(response).length === 0, 'non-empty response');
  },
  async large_unary() {
    const { response } = await unary(client.unaryCall, { responseSize: 314159, payload: payload(271828) });
    check(response.payload.body.length === 314159, `payload of ${response.payload.body.length} bytes`);
  },
  async client_streaming() {
    const response = await new Promise((resolve, reject) => {
      const call = client.streamingInputCall((err, r) => (err ? reject(err) : resolve(r)));
      for (const size of REQUEST_SIZES) call.write({ payload: payload(size) });
      call.end();
    });
    check(response.aggregatedPayloadSize === 74922, `aggregate ${response.aggregatedPayloadSize}`);
  },
  async server_streaming() {
    const call = client.streamingOutputCall({ responseParameters: RESPONSE_SIZES.map((size) => ({ size })) });
    const next = reader(call);
    const sizes = [];
    for (let m = await next(); m; m = await next()) sizes.push(m.payload.body.length);
    check(JSON.stringify(sizes) === JSON.stringify(RESPONSE_SIZES), `sizes ${sizes}`);
  },
  async ping_pong() {
    const call = client.fullDuplexCall();
    const next = reader(call);
    for (let i = 0; i < 4; i++) {
      call.write(outputRequest(RESPONSE_SIZES[i], REQUEST_SIZES[i]));
      const m = await next();
      check(m && m.payload.body.length === RESPONSE_SIZES[i], `round ${i}: ${m && m.payload.body.length}`);
    }
    call.end();
    check((await next()) === null, 'a response after the last round');
  },
  async empty_stream() {
    const call = client.fullDuplexCall();
    const next = reader(call);
    call.end();
    check((await next()) === null, 'a response to an empty stream');
  },
  async custom_metadata() {
    const metadata = () => {
      const md = new grpc.Metadata();
      md.set('x-grpc-test-echo-initial', 'test_initial_metadata_value');
      md.set('x-grpc-test-echo-trailing-bin', Buffer.from([0xab, 0xab, 0xab]));
      return md;
    };
    const checkEcho = (initial, trailing, kind) => {
      check(initial.get('x-grpc-test-echo-initial')[0] === 'test_initial_metadata_value', `${kind}: initial metadata not echoed`);
      const t = trailing.get('x-grpc-test-echo-trailing-bin')[0];
      check(Buffer.isBuffer(t) && t.equals(Buffer.from([0xab, 0xab, 0xab])), `${kind}: trailing metadata not echoed`);
    };
    await new Promise((resolve, reject) => {
      let initial;
      const call = client.unaryCall({ responseSize: 314159, payload: payload(271828) }, metadata(), (err) => { if (err) reject(err); });
      call.on('metadata', (m) => { initial = m; });
      call.on('status', (s) => { try { check(s.code === 0, `status ${s.code}`); checkEcho(initial, s.metadata, 'unary'); resolve(); } catch (e) { reject(e); } });
    });
    await new Promise((resolve, reject) => {
      let initial;
      const call = client.fullDuplexCall(metadata());
      call.on('metadata', (m) => { initial = m; });
      call.on('data', () => {});
      call.on('error', reject);
      call.on('status', (s) => { try { check(s.code === 0, `status ${s.code}`); checkEcho(initial, s.metadata, 'duplex'); resolve(); } catch (e) { reject(e); } });
      call.write(outputRequest(314159, 271828));
      call.end();
    });
  },
  async status_code_and_message() {
    const message = 'test status message';
    const err = await expectError(unary(client.unaryCall, { responseStatus: { code: 2, message } }));
    check(err.code === 2 && err.details === message, `unary: ${err.code} ${err.details}`);
    const call = client.fullDuplexCall();
    const next = reader(call);
    call.write({ responseStatus: { code: 2, message } });
    call.end();
    const streamed = await expectError(next());
    check(streamed.code === 2 && streamed.details === message, `duplex: ${streamed.code} ${streamed.details}`);
  },
  async special_status_message() {
    const message = '\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \uD83D\uDE08\t\n';
    const err = await expectError(unary(client.unaryCall, { responseStatus: { code: 2, message } }));
    check(err.code === 2 && err.details === message, `got ${err.code} ${JSON.stringify(err.details)}`);
  },
  async unimplemented_method() {
    const err = await expectError(unary(client.unimplementedCall, {}));
    check(err.code === grpc.status.UNIMPLEMENTED, `got ${err.code} ${err.details}`);
  },
  async unimplemented_service() {
    const err = await expectError(new Promise((resolve, reject) => unimplemented.unimplementedCall({}, (e, r) => (e ? reject(e) : resolve(r)))));
    check(err.code === grpc.status.UNIMPLEMENTED, `got ${err.code} ${err.details}`);
  },
  async cancel_after_begin() {
    const err = await expectError(new Promise((resolve, reject) => {
      const call = client.streamingInputCall((e, r) => (e ? reject(e) : resolve(r)));
      call.cancel();
    }));
    check(err.code === grpc.status.CANCELLED, `got ${err.code} ${err.details}`);
  },
  async cancel_after_first_response() {
    const call = client.fullDuplexCall();
    const next = reader(call);
    call.write(outputRequest(31415, 27182));
    const first = await next();
    check(first && first.payload.body.length === 31415, 'no first response');
    call.cancel();
    const err = await expectError(next());
    check(err.code === grpc.status.CANCELLED, `got ${err.code} ${err.details}`);
  },
  async timeout_on_sleeping_server() {
    const call = client.fullDuplexCall({ deadline: Date.now() + 1 });
    const next = reader(call);
    call.write({ payload: payload(27182) });
    const err = await expectError(next());
    check(err.code === grpc.status.DEADLINE_EXCEEDED, `got ${err.code} ${err.details}`);
  },
};

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  if (!out.port) { console.error('usage: node interop_client.js --port N [--host H] [--cases a,b]'); process.exit(2); }
  return out;
}

(async () => {
  const names = args.cases ? args.cases.split(',') : Object.keys(cases);
  let failed = 0;
  for (const name of names) {
    try {
      if (!cases[name]) throw new Error('no such case');
      await cases[name]();
      console.log(`PASS ${name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}: ${e && (e.stack || e.message || e)}`.split('\n')[0]);
    }
  }
  client.close();
  unimplemented.close();
  process.exit(failed ? 1 : 0);
})();
