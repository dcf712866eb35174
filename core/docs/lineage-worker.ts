import { parentPort, workerData } from 'node:worker_threads';
import { columnLineage } from './column-lineage.js';
import { contextFrom, type LineageContextData } from './lineage-context.js';

/** A worker thread of projectLineage: lineage of its share of the models, posted back as [id, lineage] pairs. */
const { context, grammar, items } = workerData as { context: LineageContextData; grammar: string; items: [string, string][] };
const lineageContext = contextFrom(context);
parentPort!.postMessage(items.map(([id, sql]) => [id, columnLineage(sql, id, lineageContext, grammar)]));
