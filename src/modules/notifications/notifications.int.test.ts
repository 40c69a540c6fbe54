import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { draftFromForm } from "#src/modules/applications/applications.schema.ts";
import {
  reviewApplication,
  saveDraft,
  startApplication,
  submitApplication,
} from "#src/modules/applications/applications.server.ts";
import { createSession, readSession } from "#src/platform/auth/session.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import { newId } from "#src/platform/ids.ts";
import { runDueJobs } from "#src/platform/jobs/jobs.server.ts";
import {
  attachRequiredFiles,
  createEighthBatchCall,
  validApplicationForm,
} from "../../../tests/support/application-fixtures.ts";
import { actorOf, createUserRecord, errorOf, type MadeUser } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { NOTIFICATION_JOB_HANDLERS } from "./notification-jobs.server.ts";
import {
  markNotificationsRead,
  notify,
  recordingAdapter,
  UNREAD_COUNT_CAP,
  unreadCountFigure,
} from "./notifications.server.ts";
import { deliverOutbox, listUndelivered, resendOutboxMessage } from "./outbox.server.ts";
import { sendDueReminders } from "./reminders.server.ts";

// ---- a real SMTP server on 127.0.0.1 (no TLS, no auth required) ----

interface Received {
  to: string[];
  subject: string;
  body: string;
}

/** Unfolds headers, decodes RFC 2047 words and a base64 or quoted-printable UTF-8 body. */
function parseMail(raw: string): Received {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = head.replace(/\r?\n[ \t]+/g, " ");
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, "im").exec(headers)?.[1] ?? "";
  const words = (s: string) =>
    s
      .replace(/\?=\s+=\?/g, "?==?")
      .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
        enc.toLowerCase() === "b"
          ? Buffer.from(text, "base64").toString("utf8")
          : qp(text.replace(/_/g, " ")),
      );
  const qp = (s: string) =>
    Buffer.from(
      s
        .replace(/=\r?\n/g, "")
        .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      "latin1",
    ).toString("utf8");
  const bodyRaw = rest.join("\n\n");
  const cte = header("Content-Transfer-Encoding").toLowerCase();
  const body =
    cte === "base64"
      ? Buffer.from(bodyRaw.replace(/\s+/g, ""), "base64").toString("utf8")
      : cte === "quoted-printable"
        ? qp(bodyRaw)
        : bodyRaw;
  return { to: [], subject: words(header("Subject")), body };
}

async function startSmtp(opts: { reject?: boolean } = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(_address, _session, cb) {
      if (opts.reject) {
        const err = Object.assign(new Error("mailbox unavailable"), { responseCode: 550 });
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      let raw = "";
      stream.setEncoding("utf8");
      stream.on("data", (c: string) => {
        raw += c;
      });
      stream.on("end", () => {
        received.push({ ...parseMail(raw), to: session.envelope.rcptTo.map((r) => r.address) });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const clock = fixedClock("2023-02-20T10:00:00+08:00");
let t: TestContext;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let callId: string;
let county: MadeUser;
let admin: MadeUser;

beforeAll(async () => {
  t = await createTestContext({ clock });
  smtp = await startSmtp();
  t.ctx.config.smtpUrl = smtp.url;
  t.ctx.config.mailFrom = "科普基地服务平台 <noreply@kepu.test>";
  callId = await createEighthBatchCall(t.ctx);
  county = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
  admin = await createUserRecord(t.ctx, { role: "admin" });
});
afterAll(async () => {
  await smtp?.close();
  await t?.close();
});
beforeEach(() => {
  clock.set("2023-02-20T10:00:00+08:00");
  t.ctx.config.smtpUrl = smtp.url;
});

const setEmail = (id: string, email: string | null) =>
  t.ctx.db.updateTable("users").set({ email }).where("id", "=", id).execute();
const outboxFor = (recipient: string) =>
  t.ctx.db
    .selectFrom("outbox")
    .selectAll()
    .where("recipient", "=", recipient)
    .orderBy("created_at")
    .execute();
const runJobs = () => runDueJobs(t.ctx, NOTIFICATION_JOB_HANDLERS);

async function submitted(regionCode = "330825") {
  const org = await createUserRecord(t.ctx, { role: "org", regionCode });
  const id = await startApplication(t.ctx, actorOf(org), callId);
  const { version } = await saveDraft(
    t.ctx,
    actorOf(org),
    id,
    draftFromForm({ ...validApplicationForm(), regionCode }),
    1,
  );
  await attachRequiredFiles(t.ctx, id, regionCode);
  await submitApplication(t.ctx, actorOf(org), id, version);
  return { org, id, version: version + 1 };
}

const returnIt = (id: string, version: number, deadline: string) =>
  reviewApplication(t.ctx, actorOf(county), id, {
    action: "return",
    opinion: "请补充开放时间",
    internalNote: "",
    opinionDate: "",
    returnDeadline: deadline,
    score: "",
    version,
  });

/** `count` unread notifications for the user, in one insert. */
async function insertUnread(userId: string, count: number) {
  const now = t.ctx.clock.now().toISOString();
  await t.ctx.db
    .insertInto("notifications")
    .values(
      Array.from({ length: count }, (_, i) => ({
        id: newId(),
        user_id: userId,
        kind: "k",
        title: `标题${i}`,
        body: "正文",
        link: null,
        created_at: now,
        read_at: null,
      })),
    )
    .execute();
}

/** The header's unread count for the user, as a signed-in page reads it (with the session). */
async function unreadOf(userId: string) {
  const token = await createSession(t.ctx, userId, { ip: null, userAgent: null });
  return (await readSession(t.ctx, token, { unread: unreadCountFigure }))?.figures?.unread;
}

describe("inbox", () => {
  it("puts a message in each inbox once and marks only the user's own as read", async () => {
    const a = await createUserRecord(t.ctx, { role: "county" });
    const b = await createUserRecord(t.ctx, { role: "county" });
    await notify(t.ctx, t.ctx.db, { userIds: [a.id, a.id, b.id], kind: "k", title: "标题", body: "正文" });
    expect(await unreadOf(a.id)).toBe(1);
    await markNotificationsRead(t.ctx, a.id, "all");
    expect(await unreadOf(a.id)).toBe(0);
    expect(await unreadOf(b.id)).toBe(1);
  });

  it("the header's unread count stops at the cap the badge shows as 99+", async () => {
    const a = await createUserRecord(t.ctx, { role: "city" });
    await insertUnread(a.id, UNREAD_COUNT_CAP + 50);
    expect(await unreadOf(a.id)).toBe(UNREAD_COUNT_CAP);
    await markNotificationsRead(t.ctx, a.id, "all");
    expect(await unreadOf(a.id)).toBe(0);
  });

  it("is a session figure only when asked for, each figure under its own name", async () => {
    const a = await createUserRecord(t.ctx, { role: "city" });
    const meta = { ip: null, userAgent: null };
    await notify(t.ctx, t.ctx.db, { userIds: [a.id], kind: "k", title: "标题", body: "正文" });
    const plain = await readSession(t.ctx, await createSession(t.ctx, a.id, meta));
    expect(plain?.id).toBe(a.id);
    expect(plain?.figures).toBeUndefined();
    const both = await readSession(t.ctx, await createSession(t.ctx, a.id, meta), {
      unread: unreadCountFigure,
      seven: (eb) => eb.val(7),
    });
    expect(both?.figures).toEqual({ unread: 1, seven: 7 });
  });
});

describe("email through SMTP", () => {
  it("returning an application emails the applicant; the delivery job sends it to the SMTP server", async () => {
    const { org, id, version } = await submitted();
    await setEmail(org.id, "applicant@example.cn");
    await returnIt(id, version, "2023-03-10");
    const queued = await outboxFor("applicant@example.cn");
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ channel: "email", status: "pending", kind: "application.return" });

    await runJobs();
    const mail = smtp.received.find((m) => m.to.includes("applicant@example.cn"));
    expect(mail?.subject).toBe("【科普基地服务平台】申报退回修改");
    expect(mail?.body).toContain("退回修改。意见：请补充开放时间");
    expect(mail?.body).toContain(`/applications/${id}`);
    expect((await outboxFor("applicant@example.cn"))[0]).toMatchObject({ status: "sent", attempts: 1 });
    // Sent once: the next run has nothing for it.
    const before = smtp.received.length;
    clock.advance(10 * 60_000);
    await runJobs();
    expect(smtp.received.filter((m) => m.to.includes("applicant@example.cn"))).toHaveLength(1);
    expect(smtp.received.length).toBe(before);
  });

  it("a pending SMS goes out through the logging adapter when the job runs", async () => {
    const u = await createUserRecord(t.ctx, { role: "county" });
    await t.ctx.db.updateTable("users").set({ phone: "13900001111" }).where("id", "=", u.id).execute();
    await notify(t.ctx, t.ctx.db, { userIds: [u.id], kind: "k", title: "短信", body: "正文" });
    expect((await outboxFor("13900001111"))[0].status).toBe("pending");
    expect(t.ctx.config.smsProvider).toBe("log");
    await runJobs();
    expect((await outboxFor("13900001111"))[0]).toMatchObject({ status: "sent", channel: "sms" });
  });

  it("a rejecting SMTP server: retries after 1, 5, 30 min and 2 h, then failed, listed for staff and resent", async () => {
    const rejecting = await startSmtp({ reject: true });
    try {
      t.ctx.config.smtpUrl = rejecting.url;
      const u = await createUserRecord(t.ctx, { role: "county" });
      await setEmail(u.id, "bounce@example.cn");
      await notify(t.ctx, t.ctx.db, { userIds: [u.id], kind: "k", title: "退信", body: "正文" });
      const start = clock.now().getTime();
      const waits = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000];
      let at = start;
      for (const [i, wait] of waits.entries()) {
        await runJobs();
        const [m] = await outboxFor("bounce@example.cn");
        expect(m).toMatchObject({ status: "pending", attempts: i + 1 });
        expect(m.last_error).toContain("mailbox unavailable");
        at = clock.now().getTime() + wait;
        expect(m.next_attempt_at).toBe(new Date(at).toISOString());
        // Not before its time.
        clock.set(new Date(at - 1000));
        await runJobs();
        expect((await outboxFor("bounce@example.cn"))[0].attempts).toBe(i + 1);
        clock.set(new Date(at));
      }
      await runJobs();
      const [failed] = await outboxFor("bounce@example.cn");
      expect(failed).toMatchObject({ status: "failed", attempts: 5 });

      const list = await listUndelivered(t.ctx, actorOf(admin), { status: "failed" });
      const row = list.find((r) => r.id === failed.id);
      expect(row).toMatchObject({ recipient: "b***@example.cn", attempts: 5, status: "failed" });
      expect(row?.lastError).toContain("mailbox unavailable");
      expect(JSON.stringify(list)).not.toContain("bounce@example.cn");
      expect((await errorOf(listUndelivered(t.ctx, actorOf(county)))).code).toBe("FORBIDDEN");

      // 【重新发送】 once the server accepts again.
      t.ctx.config.smtpUrl = smtp.url;
      await resendOutboxMessage(t.ctx, actorOf(admin), failed.id);
      expect((await errorOf(resendOutboxMessage(t.ctx, actorOf(admin), failed.id))).code).toBe("CONFLICT");
      await runJobs();
      expect((await outboxFor("bounce@example.cn"))[0]).toMatchObject({ status: "sent", attempts: 1 });
      expect(
        smtp.received.some((m) => m.to.includes("bounce@example.cn") && m.subject.includes("退信")),
      ).toBe(true);
      const audit = await t.ctx.db
        .selectFrom("audit_events")
        .selectAll()
        .where("action", "=", "outbox.resend")
        .where("target_id", "=", failed.id)
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0].actor_id).toBe(admin.id);
    } finally {
      await rejecting.close();
    }
  });
});

describe("claiming", () => {
  it("concurrent deliveries never send one message twice", async () => {
    const now = clock.now().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push(newId());
    await t.ctx.db
      .insertInto("outbox")
      .values(
        ids.map((id, i) => ({
          id,
          channel: "sms" as const,
          kind: "k",
          recipient: `1370000${String(i).padStart(4, "0")}`,
          subject: "并发",
          body: "x",
          status: "pending" as const,
          last_error: null,
          created_at: now,
          next_attempt_at: now,
          sent_at: null,
        })),
      )
      .execute();
    const sms = recordingAdapter("sms");
    const results = await Promise.all([1, 2, 3, 4].map(() => deliverOutbox(t.ctx, [sms], 15)));
    const again = await deliverOutbox(t.ctx, [sms], 100);
    const sentIds = sms.sent.filter((m) => m.subject === "并发").map((m) => m.recipient);
    expect(new Set(sentIds).size).toBe(sentIds.length);
    expect(sentIds).toHaveLength(40);
    expect(results.reduce((n, r) => n + r.claimed, 0) + again.claimed).toBeGreaterThanOrEqual(40);
    const rows = await t.ctx.db.selectFrom("outbox").select("status").where("id", "in", ids).execute();
    expect(rows.every((r) => r.status === "sent")).toBe(true);
  });

  it("takes a message back from a worker that stopped mid-send once its claim has expired", async () => {
    const u = await createUserRecord(t.ctx, { role: "county" });
    await t.ctx.db.updateTable("users").set({ phone: "13600002222" }).where("id", "=", u.id).execute();
    await notify(t.ctx, t.ctx.db, { userIds: [u.id], kind: "k", title: "中断", body: "x" });
    const stuck = { channel: "sms" as const, send: () => new Promise<void>(() => {}) };
    void deliverOutbox(t.ctx, [stuck]);
    // Until the stuck worker holds the claim: on PostgreSQL its update takes more than one tick.
    const status = () =>
      t.ctx.db
        .selectFrom("outbox")
        .select("status")
        .where("recipient", "=", "13600002222")
        .executeTakeFirst()
        .then((r) => r?.status);
    for (let i = 0; i < 500 && (await status()) !== "sending"; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(await status()).toBe("sending");
    const sms = recordingAdapter("sms");
    await deliverOutbox(t.ctx, [sms]);
    expect(sms.sent.filter((m) => m.recipient === "13600002222")).toHaveLength(0);
    clock.advance(11 * 60_000);
    await deliverOutbox(t.ctx, [sms]);
    expect(sms.sent.filter((m) => m.recipient === "13600002222")).toHaveLength(1);
  });
});

describe("reminders", () => {
  const remindersOf = (userId: string, kind: string) =>
    t.ctx.db
      .selectFrom("notifications")
      .selectAll()
      .where("user_id", "=", userId)
      .where("kind", "=", `reminder.${kind}`)
      .execute();

  it("reminds an org with a draft 3 days before the call closes, once, unless turned off", async () => {
    const org = await createUserRecord(t.ctx, { role: "org" });
    const quiet = await createUserRecord(t.ctx, { role: "org" });
    await t.ctx.db
      .updateTable("users")
      .set({ reminders_off: '["call_closing"]' })
      .where("id", "=", quiet.id)
      .execute();
    const id = await startApplication(t.ctx, actorOf(org), callId);
    await startApplication(t.ctx, actorOf(quiet), callId);
    await setEmail(org.id, "draft@example.cn");
    // The call closes at the end of 2023-02-28 (Shanghai): 3 days before is 2023-02-26 00:00.
    clock.set("2023-02-25T23:00:00+08:00");
    await sendDueReminders(t.ctx);
    expect(await remindersOf(org.id, "call_closing")).toHaveLength(0);
    clock.set("2023-02-26T09:00:00+08:00");
    await sendDueReminders(t.ctx);
    const [r] = await remindersOf(org.id, "call_closing");
    expect(r.body).toContain("2023-02-28 24:00 截止");
    expect(r.link).toBe(`/applications/${id}/edit`);
    expect(await outboxFor("draft@example.cn")).toHaveLength(1);
    clock.set("2023-02-27T09:00:00+08:00");
    await sendDueReminders(t.ctx);
    expect(await remindersOf(org.id, "call_closing")).toHaveLength(1);
    expect(await remindersOf(quiet.id, "call_closing")).toHaveLength(0);
  });

  it("reminds an org 2 days before the revision deadline of a returned application, once", async () => {
    const { org, id, version } = await submitted();
    await returnIt(id, version, "2023-03-10"); // deadline: end of 2023-03-10, Shanghai
    clock.set("2023-03-08T23:00:00+08:00");
    await sendDueReminders(t.ctx);
    expect(await remindersOf(org.id, "return_deadline")).toHaveLength(0);
    clock.set("2023-03-09T09:00:00+08:00");
    await sendDueReminders(t.ctx);
    await sendDueReminders(t.ctx);
    const got = await remindersOf(org.id, "return_deadline");
    expect(got).toHaveLength(1);
    expect(got[0].body).toContain("2023-03-10 24:00 前");
  });

  it("does not send a turned-off return reminder", async () => {
    const { org, id, version } = await submitted();
    await t.ctx.db
      .updateTable("users")
      .set({ reminders_off: '["return_deadline"]' })
      .where("id", "=", org.id)
      .execute();
    await returnIt(id, version, "2023-03-10");
    clock.set("2023-03-09T09:00:00+08:00");
    await sendDueReminders(t.ctx);
    expect(await remindersOf(org.id, "return_deadline")).toHaveLength(0);
  });

  it("reminds county staff of an application waiting more than 5 working days, once each", async () => {
    const here = await createUserRecord(t.ctx, { role: "county", regionCode: "330881" });
    const quiet = await createUserRecord(t.ctx, { role: "county", regionCode: "330881" });
    const elsewhere = await createUserRecord(t.ctx, { role: "county", regionCode: "330822" });
    await t.ctx.db
      .updateTable("users")
      .set({ reminders_off: '["county_waiting"]' })
      .where("id", "=", quiet.id)
      .execute();
    // Submitted Monday 2023-02-20; the 5th working day after is Monday 2023-02-27.
    const { id } = await submitted("330881");
    clock.set("2023-02-27T20:00:00+08:00");
    await sendDueReminders(t.ctx);
    expect(await remindersOf(here.id, "county_waiting")).toHaveLength(0);
    clock.set("2023-02-28T09:00:00+08:00");
    await sendDueReminders(t.ctx);
    clock.set("2023-03-01T09:00:00+08:00");
    await sendDueReminders(t.ctx);
    const got = await remindersOf(here.id, "county_waiting");
    expect(got).toHaveLength(1);
    expect(got[0].link).toBe(`/applications/${id}`);
    expect(await remindersOf(quiet.id, "county_waiting")).toHaveLength(0);
    expect(await remindersOf(elsewhere.id, "county_waiting")).toHaveLength(0);
  });

  it("the daily job runs the reminders and comes back the next day at 09:00", async () => {
    await t.ctx.db
      .insertInto("jobs")
      .values({
        id: newId(),
        kind: "reminders.daily",
        unique_key: "reminders.daily",
        payload: "{}",
        run_at: "2023-03-02T01:00:00.000Z",
        status: "pending",
        created_at: clock.now().toISOString(),
      })
      .execute();
    clock.set("2023-03-02T09:00:00+08:00");
    await runJobs();
    const job = await t.ctx.db
      .selectFrom("jobs")
      .selectAll()
      .where("unique_key", "=", "reminders.daily")
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: "pending", run_at: "2023-03-03T01:00:00.000Z" });
  });
});
