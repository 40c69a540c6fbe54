/**
 * The single timed checks of the applications suite: one full XLSX export download and one large
 * video upload, each with the server's memory sampled over IPC every 100 ms, and each repeated
 * against the baseline (which replays the export's bytes, and reads and discards the upload).
 */
import http from "node:http";
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { APPLICATION_SLOT_IDS, SLOT_DEFS } from "../../src/modules/files/slots.ts";
import { captureResponse } from "./load.ts";
import { assertLoopback, type NodeChild, requestMemory } from "./processes.ts";
import type { CapturedResponse } from "./protocol.ts";

const MB = 1024 * 1024;
const round1 = (n: number) => Math.round(n * 10) / 10;

export interface MemorySummary {
  /** RSS right before the operation, MB. */
  beforeMB: number;
  /** Highest RSS seen while it ran (sampled every 100 ms, and right before and after), MB. */
  peakMB: number;
  /** RSS right after the response ended, MB. */
  afterMB: number;
  /** peak − before, MB. */
  growthMB: number;
  peakHeapUsedMB: number;
  samples: number;
}

/** Samples a child's memory every `everyMs` until stopped. */
function sampleMemory(child: NodeChild, everyMs = 100) {
  const rss: number[] = [];
  const heap: number[] = [];
  let stopped = false;
  const take = async () => {
    try {
      const u = await requestMemory(child, 5000);
      rss.push(u.rss);
      heap.push(u.heapUsed);
    } catch {
      // a missed sample (the child was too busy to answer in 5 s) is just missed
    }
  };
  const loop = (async () => {
    while (!stopped) {
      await take();
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop(before: number): Promise<MemorySummary> {
      stopped = true;
      await loop;
      await take();
      const after = rss[rss.length - 1] ?? 0;
      const peak = Math.max(before, ...rss);
      return {
        beforeMB: round1(before / MB),
        peakMB: round1(peak / MB),
        afterMB: round1(after / MB),
        growthMB: round1((peak - before) / MB),
        peakHeapUsedMB: round1(Math.max(0, ...heap) / MB),
        samples: rss.length,
      };
    },
  };
}

/** Runs `op` with the child's memory taken right before, every 100 ms during, and right after. */
async function measured<T>(
  child: NodeChild,
  op: () => Promise<T>,
): Promise<{ result: T; memory: MemorySummary }> {
  const before = (await requestMemory(child)).rss;
  const sampler = sampleMemory(child);
  try {
    const result = await op();
    return { result, memory: await sampler.stop(before) };
  } catch (err) {
    await sampler.stop(before);
    throw err;
  }
}

// ---- XLSX export ----

export interface ExportResult {
  name: "export-xlsx" | "export-activities-xlsx" | "export-volunteer-hours-xlsx";
  path: string;
  login: string;
  expectedRows: number;
  app: {
    status: number;
    seconds: number;
    bytes: number;
    /** Data rows (the header row not counted), read back with exceljs' streaming reader. */
    rows: number | null;
    validXlsx: boolean;
    problem: string | null;
    memory: MemorySummary;
  };
  baseline: { status: number; seconds: number; bytes: number; memory: MemorySummary } | null;
}

async function countXlsxRows(body: Buffer): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([body]), {
    worksheets: "emit",
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "ignore",
    entries: "ignore",
  });
  let rows = 0;
  // biome-ignore lint/suspicious/noExplicitAny: exceljs' typings omit the async iterators
  for await (const sheet of reader as any) for await (const _row of sheet) rows++;
  return rows;
}

/** Times one full download of the export as `cookie`'s user; returns the capture for the baseline too. */
export async function measureExportApp(
  app: NodeChild,
  appUrl: string,
  path: string,
  login: string,
  cookie: string,
  expectedRows: number,
  name: ExportResult["name"] = "export-xlsx",
): Promise<{ result: ExportResult; capture: CapturedResponse }> {
  const started = performance.now();
  const { result: capture, memory } = await measured(app, () =>
    captureResponse(appUrl, path, { cookie }, 600_000),
  );
  const seconds = (performance.now() - started) / 1000;
  const body = Buffer.from(capture.bodyBase64, "base64");
  let problem: string | null = null;
  let rows: number | null = null;
  const validXlsx =
    capture.status === 200 && body.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  if (capture.status !== 200) problem = `HTTP ${capture.status}: ${body.toString("utf8").slice(0, 200)}`;
  else if (!validXlsx) problem = "the body does not start with a ZIP header (PK\\x03\\x04)";
  else {
    try {
      rows = (await countXlsxRows(body)) - 1;
      if (rows !== expectedRows) problem = `${rows} data rows, expected ${expectedRows}`;
    } catch (err) {
      problem = `exceljs could not read it: ${err instanceof Error ? err.message : err}`;
    }
  }
  return {
    capture,
    result: {
      name,
      path,
      login,
      expectedRows,
      app: { status: capture.status, seconds, bytes: body.length, rows, validXlsx, problem, memory },
      baseline: null,
    },
  };
}

/** The same download from the baseline (which replays the captured bytes). */
export async function measureExportBaseline(
  baseline: NodeChild,
  baseUrl: string,
  path: string,
  cookie: string,
): Promise<NonNullable<ExportResult["baseline"]>> {
  const started = performance.now();
  const { result, memory } = await measured(baseline, () =>
    captureResponse(baseUrl, path, { cookie }, 600_000),
  );
  const seconds = (performance.now() - started) / 1000;
  return { status: result.status, seconds, bytes: Buffer.from(result.bodyBase64, "base64").length, memory };
}

// ---- video upload ----

/** The first application slot that takes videos (per src/modules/files/slots.ts), or null. */
export function videoSlot(): { id: string; label: string } | null {
  const slot = SLOT_DEFS.find(
    (s) => (APPLICATION_SLOT_IDS as readonly string[]).includes(s.id) && s.kinds.includes("video"),
  );
  return slot ? { id: slot.id, label: slot.label } : null;
}

/** What the application slots accept, for the report when none takes videos. */
export function applicationSlotKinds(): string {
  return APPLICATION_SLOT_IDS.map(
    (id) => `${id}: ${SLOT_DEFS.find((s) => s.id === id)?.kinds.join("/") ?? "?"}`,
  ).join(", ");
}

/**
 * An MP4-looking file of `size` bytes, generated as it is read: an `ftyp` box (brand isom, so
 * file-type reports video/mp4), an `mdat` box header covering the rest, then zeros.
 */
function* mp4Chunks(size: number): Generator<Buffer> {
  const head = Buffer.alloc(40);
  head.writeUInt32BE(32, 0);
  head.write("ftypisom", 4, "latin1");
  head.writeUInt32BE(0x200, 12);
  head.write("isomiso2avc1mp41", 16, "latin1");
  head.writeUInt32BE(size - 32, 32);
  head.write("mdat", 36, "latin1");
  yield head.subarray(0, Math.min(size, head.length));
  const zeros = Buffer.alloc(MB);
  for (let left = size - head.length; left > 0; left -= zeros.length) {
    yield left >= zeros.length ? zeros : zeros.subarray(0, left);
  }
}

/** multipart/form-data with one field `file`, streamed; nothing large is held in memory. */
function multipartVideo(size: number, fileName: string) {
  const boundary = `----kepu-bench-${Date.now().toString(16)}`;
  const pre = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: video/mp4\r\n\r\n`,
  );
  const post = Buffer.from(`\r\n--${boundary}--\r\n`);
  function* all() {
    yield pre;
    yield* mp4Chunks(size);
    yield post;
  }
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: pre.length + size + post.length,
    stream: () => Readable.from(all(), { objectMode: false }),
  };
}

interface UploadAnswer {
  status: number;
  statusMessage: string;
  rawHeaders: string[];
  body: Buffer;
  seconds: number;
}

function postStream(
  url: string,
  headers: Record<string, string>,
  body: Readable,
  timeoutMs: number,
): Promise<UploadAnswer> {
  assertLoopback(url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(url, { method: "POST", headers, timeout: timeoutMs }, (res) => {
      // A server may answer (413, 415…) before it has read the whole body; that answer is the result.
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("close", () => {
        if (!res.complete) reject(new Error(`the answer from ${url} was cut off`));
      });
      res.on("end", () => {
        const rawHeaders: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (!["date", "connection", "keep-alive"].includes(res.rawHeaders[i].toLowerCase()))
            rawHeaders.push(res.rawHeaders[i], res.rawHeaders[i + 1]);
        }
        resolve({
          status: res.statusCode ?? 0,
          statusMessage: res.statusMessage ?? "",
          rawHeaders,
          body: Buffer.concat(chunks),
          seconds: (performance.now() - started) / 1000,
        });
        body.destroy();
      });
    });
    req.on("timeout", () => req.destroy(new Error(`upload to ${url} timed out`)));
    req.on("error", (err) => {
      body.destroy();
      if (!answered) reject(err);
    });
    body.on("error", (err) => req.destroy(err));
    body.pipe(req);
  });
}

export interface UploadSide {
  status: number;
  seconds: number;
  mbPerSec: number;
  memory: MemorySummary;
}

export interface UploadResult {
  name: "upload-video";
  path: string | null;
  slot: string | null;
  fileBytes: number;
  /** Why nothing was uploaded, when that is the case. */
  skipped: string | null;
  app: (UploadSide & { response: unknown; problem: string | null }) | null;
  baseline: UploadSide | null;
  maxGrowthMB: number;
  pass: boolean | null;
}

/** Streams the video to the app as the signed-in org; returns the capture for the baseline too. */
export async function measureUploadApp(
  app: NodeChild,
  appUrl: string,
  path: string,
  cookie: string,
  fileBytes: number,
): Promise<{ side: NonNullable<UploadResult["app"]>; capture: CapturedResponse }> {
  const body = multipartVideo(fileBytes, `bench-${Math.round(fileBytes / MB)}MB.mp4`);
  const { result, memory } = await measured(app, () =>
    postStream(
      appUrl + path,
      {
        origin: appUrl,
        cookie,
        "content-type": body.contentType,
        "content-length": String(body.length),
      },
      body.stream(),
      600_000,
    ),
  );
  let response: unknown = result.body.toString("utf8");
  try {
    response = JSON.parse(result.body.toString("utf8"));
  } catch {
    // not JSON: keep the text
  }
  const r = response as { kind?: string; mime?: string; size?: number };
  const problem =
    result.status !== 201
      ? `HTTP ${result.status}: ${result.body.toString("utf8").slice(0, 300)}`
      : r.kind !== "video" || r.size !== fileBytes
        ? `stored as ${r.mime}/${r.kind}, ${r.size} bytes (expected video, ${fileBytes})`
        : null;
  return {
    side: {
      status: result.status,
      seconds: result.seconds,
      mbPerSec: fileBytes / MB / result.seconds,
      memory,
      response,
      problem,
    },
    capture: {
      method: "POST",
      path,
      match: {},
      status: result.status,
      statusMessage: result.statusMessage,
      rawHeaders: result.rawHeaders,
      bodyBase64: result.body.toString("base64"),
    },
  };
}

/** The same upload to the baseline, which reads the body to its end and answers the captured JSON. */
export async function measureUploadBaseline(
  baseline: NodeChild,
  baseUrl: string,
  path: string,
  fileBytes: number,
): Promise<UploadSide> {
  const body = multipartVideo(fileBytes, `bench-${Math.round(fileBytes / MB)}MB.mp4`);
  const { result, memory } = await measured(baseline, () =>
    postStream(
      baseUrl + path,
      { "content-type": body.contentType, "content-length": String(body.length) },
      body.stream(),
      600_000,
    ),
  );
  return {
    status: result.status,
    seconds: result.seconds,
    mbPerSec: fileBytes / MB / result.seconds,
    memory,
  };
}
