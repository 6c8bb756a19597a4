// grpc.testing.TestService served by @grpc/grpc-js, the server side of grpc/grpc
// doc/interop-test-descriptions.md, so Switchboard's *client* is proven against a server it did not write.
// Usage: node interop_server.js   -> prints "port <n>" (127.0.0.1, a free port) and serves until stdin closes.
'use strict';
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const definition = protoLoader.loadSync('grpc/testing/test.proto', {
  includeDirs: [path.join(__dirname, 'protos')],
  keepCase: false,
  defaults: true,
});
const testing = grpc.loadPackageDefinition(definition).grpc.testing;

function payload(size) { return { body: Buffer.alloc(size) }; }

// Echoes x-grpc-test-echo-initial in the headers now; returns the trailers to send at the end.
function echoMetadata(call) {
  const initial = call.metadata.get('x-grpc-test-echo-initial');
  if (initial.length) {
    const headers = new grpc.Metadata();
    headers.set('x-grpc-test-echo-initial', initial[0]);
    call.sendMetadata(headers);
  }
  const trailers = new grpc.Metadata();
  const trailing = call.metadata.get('x-grpc-test-echo-trailing-bin');
  if (trailing.length) trailers.set('x-grpc-test-echo-trailing-bin', trailing[0]);
  return trailers;
}

function requestedError(status, trailers) {
  return status && status.code ? { code: status.code, details: status.message, metadata: trailers } : null;
}

const server = new grpc.Server();
server.addService(testing.TestService.service, {
  emptyCall: (call, callback) => callback(null, {}),
  unaryCall: (call, callback) => {
    const trailers = echoMetadata(call);
    const error = requestedError(call.request.responseStatus, trailers);
    if (error) { callback(error); return; }
    callback(null, { payload: payload(call.request.responseSize) }, trailers);
  },
  streamingOutputCall: async (call) => {
    const trailers = echoMetadata(call);
    for (const p of call.request.responseParameters) {
      if (p.intervalUs) await new Promise((r) => setTimeout(r, p.intervalUs / 1000));
      if (call.cancelled) return;
      call.write({ payload: payload(p.size) });
    }
    call.end(trailers);
  },
  streamingInputCall: (call, callback) => {
    let total = 0;
    call.on('data', (m) => { total += m.payload ? m.payload.body.length : 0; });
    call.on('end', () => callback(null, { aggregatedPayloadSize: total }));
    call.on('error', () => {});
  },
  fullDuplexCall: (call) => {
    const trailers = echoMetadata(call);
    let failed = false;
    call.on('data', (m) => {
      if (failed) return;
      const error = requestedError(m.responseStatus, trailers);
      if (error) { failed = true; call.emit('error', error); return; }
      for (const p of m.responseParameters) call.write({ payload: payload(p.size) });
    });
    call.on('end', () => { if (!failed) call.end(trailers); });
    call.on('error', () => {});
  },
});
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) { console.error(err); process.exit(1); }
  console.log(`port ${port}`);
});
process.stdin.on('end', () => server.tryShutdown(() => process.exit(0)));
process.stdin.resume();
