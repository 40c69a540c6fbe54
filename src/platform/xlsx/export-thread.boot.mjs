// Starts an export thread: TypeScript loading first (a thread does not inherit the server's tsx
// loader hooks), then the entry the parent named, export-thread.worker.ts.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
