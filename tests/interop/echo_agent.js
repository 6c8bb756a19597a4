// The grpc-js side of the transport benchmark (docs/benchmarks-grpc.md). A long-lived process driven
// line by line on stdin, so a benchmark can time grpc-js work without timing node's start-up:
//   serve                                   -> "port <n>"   (a grpc-js Echo server on 127.0.0.1)
//   unary <host:port> <calls> <concurrency> <payload bytes> -> "ok <elapsed ms>"
//   stream <host:port> <messages>           -> "ok <elapsed ms>" (one server-streaming call)
// Any failure answers "error <why>".
'use strict';
const path = require('path');
const readline = require('readline');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const definition = protoLoader.loadSync(path.join(__dirname, 'echo.proto'), { keepCase: true, defaults: true });
const Echo = grpc.loadPackageDefinition(definition).switchboard.bench.Echo;
const STREAM_PAYLOAD = Buffer.alloc(100, 7);
const clients = new Map();

function client(target) {
  if (!clients.has(target)) clients.set(target, new Echo(target, grpc.credentials.createInsecure()));
  return clients.get(target);
}

function serve() {
  return new Promise((resolve, reject) => {
    const server = new grpc.Server();
    server.addService(Echo.service, {
      Unary: (call, callback) => callback(null, { value: call.request.value }),
      ServerStream: (call) => {
        const count = call.request.value;
        let sent = 0;
        const pump = () => {
          while (sent < count) {
            sent++;
            if (!call.write({ value: STREAM_PAYLOAD })) { call.once('drain', pump); return; }
          }
          call.end();
        };
        pump();
      },
    });
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port)));
  });
}

function unary(target, calls, concurrency, size) {
  const c = client(target);
  const request = { value: Buffer.alloc(size, 1) };
  let started = 0;
  const worker = () => new Promise((resolve, reject) => {
    const next = () => {
      if (started >= calls) { resolve(); return; }
      started++;
      c.Unary(request, (err) => (err ? reject(err) : next()));
    };
    next();
  });
  return Promise.all(Array.from({ length: Math.min(concurrency, calls) }, worker));
}

function stream(target, messages) {
  return new Promise((resolve, reject) => {
    let received = 0;
    const call = client(target).ServerStream({ value: messages });
    call.on('data', () => { received++; });
    call.on('error', reject);
    call.on('end', () => (received === messages ? resolve() : reject(new Error(`received ${received} of ${messages}`))));
  });
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', async (line) => {
  const [command, ...args] = line.trim().split(/\s+/);
  try {
    if (command === 'serve') {
      console.log(`port ${await serve()}`);
      return;
    }
    const start = process.hrtime.bigint();
    if (command === 'unary') await unary(args[0], +args[1], +args[2], +args[3]);
    else if (command === 'stream') await stream(args[0], +args[1]);
    else throw new Error(`unknown command '${command}'`);
    console.log(`ok ${Number(process.hrtime.bigint() - start) / 1e6}`);
  } catch (e) {
    console.log(`error ${(e && e.message || String(e)).replace(/\n/g, ' ')}`);
  }
});
rl.on('close', () => process.exit(0));
