import http from "node:http";
import type { AddressInfo } from "node:net";
import { createReadableStreamFromReadable } from "@react-router/node";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyGuard, bodyLimitFor, isWellFormedUrl, mediaTypeOf, urlGuard } from "./input-guard.ts";

const limits = { formBytes: 64 * 1024, autosaveBytes: 16 * 1024, importBytes: 256 * 1024 };

let server: http.Server;
let port: number;
/** Bytes the downstream reader received, per request path. */
const received = new Map<string, number>();

beforeAll(async () => {
  const app = express();
  app.use(urlGuard());
  app.use(bodyGuard(limits));
  // Reads the body the way @react-router/express does: a web stream over the request.
  app.use(async (req, res) => {
    let n = 0;
    received.set(req.path, 0);
    const request = new Request(`http://x${req.originalUrl}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: createReadableStreamFromReadable(req),
      duplex: "half",
    } as RequestInit);
    try {
      const reader = request.clone().body?.getReader();
      const fd = await request.formData();
      for (;;) {
        const r = await reader?.read();
        if (!r || r.done) break;
        n += r.value.length;
      }
      received.set(req.path, n);
      if (!res.headersSent) res.json({ fields: [...fd.keys()] });
    } catch {
      if (!res.headersSent) res.status(500).send("reader failed");
    }
  });
  server = app.listen(0);
  await new Promise((r) => server.once("listening", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server?.close();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Bytes the client managed to write before the answer or the connection ended. */
  written: number;
}

/** A raw request: `chunks` are written one by one until the server answers. */
function send(opts: {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  chunks?: Iterable<Buffer>;
}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = http.request(
      { host: "127.0.0.1", port, path: opts.path, method: opts.method ?? "POST", headers: opts.headers },
      (res) => {
        answered = true;
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts).toString(),
            written,
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    const it = (opts.chunks ?? [])[Symbol.iterator]();
    const pump = () => {
      while (!answered) {
        const next = it.next();
        if (next.done) {
          req.end();
          return;
        }
        written += next.value.length;
        if (!req.write(next.value)) {
          req.once("drain", pump);
          return;
        }
      }
    };
    pump();
  });
}

function* repeat(chunk: Buffer, times: number) {
  for (let i = 0; i < times; i++) yield chunk;
}

const urlencoded = { "content-type": "application/x-www-form-urlencoded" };

describe("isWellFormedUrl and mediaTypeOf", () => {
  it("accepts ordinary URLs and refuses bad or overlong UTF-8, cut escapes and control characters", () => {
    expect(isWellFormedUrl("/bases?q=%E8%A1%A2%E5%B7%9E&page=2")).toBe(true);
    for (const bad of [
      "/bases/%FF",
      "/%c0%ae%c0%ae/etc/passwd",
      "/x?q=%E8%A1",
      "/x?q=100%",
      "/x?q=%00",
      "/a%0Ab",
    ])
      expect(isWellFormedUrl(bad), bad).toBe(false);
  });

  it("reads a media type and its boundary", () => {
    expect(mediaTypeOf("Multipart/Form-Data; boundary=abc")).toEqual({
      type: "multipart/form-data",
      boundary: "abc",
    });
    expect(mediaTypeOf('multipart/form-data; boundary="a b"')).toEqual({
      type: "multipart/form-data",
      boundary: "a b",
    });
    expect(mediaTypeOf(undefined)).toEqual({ type: "" });
  });

  it("gives the autosave and the import their own limits, .data requests included", () => {
    expect(bodyLimitFor("/applications/abc/autosave", limits)).toBe(limits.autosaveBytes);
    expect(bodyLimitFor("/admin/bases/import.data", limits)).toBe(limits.importBytes);
    expect(bodyLimitFor("/register.data", limits)).toBe(limits.formBytes);
  });
});

describe("urlGuard", () => {
  it("answers 400 before any handler for a URL that does not decode", async () => {
    for (const path of ["/bases/%FF", "/%c0%ae%c0%ae/etc/passwd", "/bases?q=%00"]) {
      const res = await send({ path, method: "GET" });
      expect(res.status, path).toBe(400);
      expect(res.body).toContain("网址编码无效");
    }
  });
});

describe("bodyGuard", () => {
  it("lets a form within its limit through to the reader, whole", async () => {
    const body = Buffer.from(`a=${"x".repeat(1000)}&b=2`);
    const res = await send({
      path: "/ok",
      headers: { ...urlencoded, "content-length": String(body.length) },
      chunks: [body],
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ fields: ["a", "b"] });
    expect(received.get("/ok")).toBe(body.length);
  });

  it("lets a well-formed multipart form through", async () => {
    const fd = new FormData();
    fd.set("name", "科普");
    const req = new Request("http://x/", { method: "POST", body: fd });
    const body = Buffer.from(await req.arrayBuffer());
    const res = await send({
      path: "/multi",
      headers: {
        "content-type": req.headers.get("content-type") ?? "",
        "content-length": String(body.length),
      },
      chunks: [body],
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ fields: ["name"] });
  });

  it("answers 413 from Content-Length alone, closing the connection without reading the body", async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const res = await send({
      path: "/big",
      headers: { ...urlencoded, "content-length": String(100 * 1024 * 1024) },
      chunks: repeat(chunk, 1600),
    });
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe("close");
    expect(res.body).toContain("提交的内容过大");
    expect(received.has("/big")).toBe(false);
    expect(res.written).toBeLessThan(100 * 1024 * 1024);
  });

  it("answers 413 to a chunked body the moment it passes the limit", async () => {
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    const res = await send({ path: "/chunked", headers: urlencoded, chunks: repeat(chunk, 6400) });
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe("close");
    // The reader never completed a body, and the client was stopped long before its 100 MB.
    expect(received.get("/chunked")).toBe(0);
    expect(res.written).toBeLessThan(100 * 1024 * 1024);
  });

  it("counts an autosave against its smaller limit", async () => {
    const body = Buffer.alloc(20 * 1024, 0x61);
    const res = await send({
      path: "/applications/a1/autosave",
      headers: { ...urlencoded, "content-length": String(body.length) },
      chunks: [body],
    });
    expect(res.status).toBe(413);
  });

  it("answers 415 to a body that is not a form", async () => {
    for (const type of ["application/json", "text/plain", "application/xml", ""]) {
      const body = Buffer.from('{"a":1}');
      const headers: Record<string, string> = { "content-length": String(body.length) };
      if (type) headers["content-type"] = type;
      const res = await send({ path: "/typed", headers, chunks: [body] });
      expect(res.status, type || "none").toBe(415);
      expect(res.body).toContain("请通过页面上的表单提交");
    }
  });

  it("lets a POST without a body through (【退出登录】 sends none)", async () => {
    const res = await send({ path: "/empty", headers: { "content-length": "0" }, chunks: [] });
    // The guard answers nothing: the request reaches the handler (this stub's form parser then fails).
    expect(res.body).not.toContain("请通过页面上的表单提交");
    expect(received.has("/empty")).toBe(true);
  });

  it("answers 400 to multipart without a boundary or with one the body does not open with", async () => {
    const body = Buffer.from('--other\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--other--\r\n');
    const missing = await send({
      path: "/mp1",
      headers: { "content-type": "multipart/form-data", "content-length": String(body.length) },
      chunks: [body],
    });
    expect(missing.status).toBe(400);
    const wrong = await send({
      path: "/mp2",
      headers: {
        "content-type": "multipart/form-data; boundary=expected",
        "content-length": String(body.length),
      },
      chunks: [body],
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain("表单数据格式无效");
    const short = await send({
      path: "/mp3",
      headers: { "content-type": "multipart/form-data; boundary=a-long-boundary", "content-length": "3" },
      chunks: [Buffer.from("--a")],
    });
    expect(short.status).toBe(400);
  });

  it("leaves uploads to the files router and GETs alone", async () => {
    const body = Buffer.from("{}");
    const upload = await send({
      path: "/files/x/y/z",
      headers: { "content-type": "application/json", "content-length": "2" },
      chunks: [body],
    });
    expect(upload.status).not.toBe(415);
    const get = await send({ path: "/plain", method: "GET" });
    expect(get.status).not.toBe(415);
  });
});
