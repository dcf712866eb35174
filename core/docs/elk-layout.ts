import { createRequire } from 'node:module';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';

/** One ELK layered run: nodes 0..count-1 of one size, edges parent -> child, ELK's layout options. */
export interface ElkLayoutRequest {
  count: number;
  edges: [number, number][];
  width: number;
  height: number;
  options: Record<string, string>;
}

/** Top-left corner of each node as ELK placed it. */
export interface ElkPositions {
  x: Float64Array;
  y: Float64Array;
}

/**
 * ELK (elkjs, Eclipse's layout kernel compiled to JavaScript) on a worker thread, waited for
 * synchronously so the site's data stays one synchronous step (ELK's API returns a promise). The
 * thread is also there for its stack: ELK's layered phases recurse deeply on big graphs (all 20,038
 * edges of the 10,000-model bench graph overflowed Node's default stack; graph-layout.ts no longer
 * hands ELK that much, but a worker can be given a bigger stack, so a big graph cannot crash it).
 */
export function elkLayout(request: ElkLayoutRequest): ElkPositions {
  if (request.count === 0) return { x: new Float64Array(0), y: new Float64Array(0) };
  const bundle = createRequire(import.meta.url).resolve('elkjs/lib/elk.bundled.js');
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { bundle, request, done, port: port2 },
    transferList: [port2],
    resourceLimits: { stackSizeMb: STACK_MB },
  });
  worker.on('error', () => {}); // reported through the port below
  try {
    // A worker that dies (out of memory) never says so while this thread waits: give up after a while.
    const deadline = Date.now() + TIMEOUT_MS;
    while (Atomics.load(done, 0) === 0) {
      if (Date.now() > deadline) throw new Error(`ELK layout gave no result in ${TIMEOUT_MS / 1000} s`);
      Atomics.wait(done, 0, 0, 1000);
    }
    const message = receiveMessageOnPort(port1)?.message as { x: Float64Array; y: Float64Array } | { error: string } | undefined;
    if (!message) throw new Error('ELK layout worker ended without a result');
    if ('error' in message) throw new Error(`ELK layout failed: ${message.error}`);
    return message;
  } finally {
    port1.close();
    void worker.terminate();
  }
}

const STACK_MB = 256;
const TIMEOUT_MS = 600_000;

// Plain JavaScript (no build step), so the same code runs from dist/ and under the test runner.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { bundle, request, done, port } = workerData;
const finish = (message) => { port.postMessage(message); Atomics.store(done, 0, 1); Atomics.notify(done, 0); };
try {
  const ELK = require(bundle);
  const children = [];
  for (let i = 0; i < request.count; i++) children.push({ id: String(i), width: request.width, height: request.height });
  const edges = request.edges.map(([p, c], k) => ({ id: 'e' + k, sources: [String(p)], targets: [String(c)] }));
  new ELK()
    .layout({ id: 'root', layoutOptions: request.options, children, edges })
    .then((out) => {
      const x = new Float64Array(request.count), y = new Float64Array(request.count);
      for (const child of out.children) { x[Number(child.id)] = child.x; y[Number(child.id)] = child.y; }
      finish({ x, y });
    })
    .catch((e) => finish({ error: String(e && e.message || e) }));
} catch (e) {
  finish({ error: String(e && e.message || e) });
}
`;
