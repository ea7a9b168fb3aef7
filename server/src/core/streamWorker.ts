// The worker thread of the streamed analysis (stream.ts): reads windows of records and runs
// their cross-record step, as streamWindow.ts does in the reading thread for small inputs.
// Bundled as dist/streamWorker.js, next to the CLI and the server that start it.
import { parentPort } from 'node:worker_threads';
import { crossCheckWindow, readWindow } from './streamWindow';
import type { WorkerReply, WorkerRequest } from './streamPool';

const port = parentPort;
if (port) {
  port.on('message', (request: WorkerRequest) => {
    let reply: WorkerReply;
    try {
      reply =
        request.kind === 'read'
          ? { kind: 'read', result: readWindow(request.input, { posted: true }) }
          : { kind: 'cross', result: crossCheckWindow(request.input) };
    } catch (e) {
      reply = { kind: 'error', seq: request.input.seq, message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    port.postMessage(reply);
  });
}
