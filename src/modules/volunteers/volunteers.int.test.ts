import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeReportSchema } from "#src/modules/bases/bases.schema.ts";
import { decideChangeReport, fileChangeReport } from "#src/modules/bases/bases.server.ts";
import { getFileOwner } from "#src/modules/files/owners.ts";
import { getSlot } from "#src/modules/files/slots.ts";
import { fixedClock } from "#src/platform/clock.ts";
import { newId } from "#src/platform/ids.ts";
import { extractPdfText } from "#src/platform/pdf/extract-pdf-text.ts";
import {
  actorOf,
  createLinkedBase,
  createUserRecord,
  errorOf,
  type MadeUser,
  makeUscc,
} from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { registerVolunteerFiles } from "./volunteers.files.ts";
import { ANONYMIZED_NAME, TEAM_CHANGE_UNREGISTERED } from "./volunteers.rules.ts";
import { serviceSchema, teamSchema, volunteerSchema } from "./volunteers.schema.ts";
import {
  addVolunteer,
  certificateData,
  confirmServices,
  deleteService,
  getOwnTeam,
  getRosterPage,
  getVolunteerRecord,
  listActivityServices,
  listOwnVolunteers,
  publicTeamSummary,
  recordServices,
  removeVolunteer,
  saveTeam,
  teamStats,
} from "./volunteers.server.ts";
import { renderServiceCertificatePdf } from "./volunteers-certificate.server.ts";
import {
  prepareOwnHoursXlsx,
  prepareOwnRosterXlsx,
  prepareScopeHoursXlsx,
} from "./volunteers-export.server.ts";
import { importVolunteers } from "./volunteers-import.server.ts";

const clock = fixedClock("2026-05-20T10:00:00+08:00");
let t: TestContext;
let longyouOrg: MadeUser;
let jiangshanOrg: MadeUser;
let strangerOrg: MadeUser;
let longyouStaff: MadeUser;
let jiangshanStaff: MadeUser;
let city: MadeUser;
let evaluator: MadeUser;
let longyouBase: string;
let jiangshanBase: string;
let pastActivity: string;
let secondActivity: string;
let futureActivity: string;
let otherActivity: string;

const makeBase = (org: MadeUser, region: string, unit: string) => createLinkedBase(t.ctx, org, region, unit);

async function makeActivity(baseId: string, region: string, name: string, startsAt: string, endsAt: string) {
  const id = newId();
  const now = clock.now().toISOString();
  await t.ctx.db
    .insertInto("activities")
    .values({
      id,
      base_id: baseId,
      region_code: region,
      name,
      type: "lecture",
      form: "offline",
      starts_at: new Date(startsAt).toISOString(),
      ends_at: new Date(endsAt).toISOString(),
      start_month: startsAt.slice(0, 7),
      fee: "free",
      direction: "in",
      created_by: longyouOrg.id,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

const team = (over: Record<string, string> = {}) =>
  teamSchema.parse({
    name: "龙游县水产养殖协会科技志愿服务队",
    stvsStatus: "unregistered",
    stvsOrgNo: "",
    registeredOn: "",
    leaderName: "王队长",
    leaderPhone: "13905701111",
    version: "0",
    ...over,
  });

const vol = (name: string, phone: string, stvsNo = "") => volunteerSchema.parse({ name, phone, stvsNo });

async function sheetRows(write: (out: PassThrough) => Promise<number>): Promise<string[][]> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise((r) => out.on("end", r));
  await write(out);
  await done;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ""))));
  return rows;
}

async function xlsxOf(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const s = wb.addWorksheet("志愿者名册");
  s.addRow(["姓名", "手机号", "志愿者编号", "专业特长", "加入日期"]);
  for (const r of rows) s.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const audits = (action: string) =>
  t.ctx.db.selectFrom("audit_events").selectAll().where("action", "=", action).execute();

beforeAll(async () => {
  t = await createTestContext({ clock });
  longyouOrg = await createUserRecord(t.ctx, { role: "org", regionCode: "330825", login: makeUscc() });
  jiangshanOrg = await createUserRecord(t.ctx, { role: "org", regionCode: "330881", login: makeUscc() });
  strangerOrg = await createUserRecord(t.ctx, { role: "org", regionCode: "330825", login: makeUscc() });
  longyouStaff = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
  jiangshanStaff = await createUserRecord(t.ctx, { role: "county", regionCode: "330881" });
  city = await createUserRecord(t.ctx, { role: "city" });
  evaluator = await createUserRecord(t.ctx, { role: "evaluator" });
  longyouBase = await makeBase(longyouOrg, "330825", "龙游县水产养殖协会");
  jiangshanBase = await makeBase(jiangshanOrg, "330881", "江山市科技馆");
  pastActivity = await makeActivity(
    longyouBase,
    "330825",
    "水产科普讲座",
    "2026-05-01T09:00:00+08:00",
    "2026-05-01T11:00:00+08:00",
  );
  secondActivity = await makeActivity(
    longyouBase,
    "330825",
    "鱼类识别",
    "2026-05-01T10:00:00+08:00",
    "2026-05-01T12:00:00+08:00",
  );
  futureActivity = await makeActivity(
    longyouBase,
    "330825",
    "未来活动",
    "2026-06-01T09:00:00+08:00",
    "2026-06-01T11:00:00+08:00",
  );
  otherActivity = await makeActivity(
    jiangshanBase,
    "330881",
    "江山活动",
    "2026-05-01T09:00:00+08:00",
    "2026-05-01T11:00:00+08:00",
  );
});
afterAll(async () => {
  await t?.close();
});

describe("the team", () => {
  it("refuses a name that is not 单位名称+科技志愿服务队, next to the field", async () => {
    const e = await errorOf(
      saveTeam(t.ctx, actorOf(longyouOrg), team({ name: "江山市科技馆科技志愿服务队" })),
    );
    expect(e.code).toBe("VALIDATION");
    expect(e.fieldErrors?.name).toContain("龙游县水产养殖协会科技志愿服务队");
  });

  it("saves, audits, and shows on the public page without personal data", async () => {
    const row = await saveTeam(t.ctx, actorOf(longyouOrg), team());
    expect(row.stvs_status).toBe("unregistered");
    expect(row.supervisor_type).toBe("地方科协");
    expect((await audits("volunteer_team.save")).length).toBe(1);
    const pub = await publicTeamSummary(t.ctx, longyouBase);
    expect(pub).toEqual({ name: "龙游县水产养殖协会科技志愿服务队", registered: false, volunteers: 0 });
  });

  it("refuses a stale version", async () => {
    const e = await errorOf(saveTeam(t.ctx, actorOf(longyouOrg), team({ version: "0" })));
    expect(e.code).toBe("CONFLICT");
  });

  it("locks the name and number once registered", async () => {
    const reg = await saveTeam(
      t.ctx,
      actorOf(longyouOrg),
      team({ stvsStatus: "registered", stvsOrgNo: "ZJ-LY-0001", registeredOn: "2026-04-01", version: "1" }),
    );
    expect(reg.stvs_org_no).toBe("ZJ-LY-0001");
    const e = await errorOf(
      saveTeam(
        t.ctx,
        actorOf(longyouOrg),
        team({
          stvsStatus: "registered",
          stvsOrgNo: "ZJ-LY-0002",
          registeredOn: "2026-04-01",
          version: String(reg.version),
        }),
      ),
    );
    expect(e.fieldErrors?.stvsOrgNo).toContain("不能在此直接修改");
    // The leader may still change.
    const next = await saveTeam(
      t.ctx,
      actorOf(longyouOrg),
      team({
        stvsStatus: "registered",
        stvsOrgNo: "ZJ-LY-0001",
        registeredOn: "2026-04-01",
        leaderName: "李队长",
        version: String(reg.version),
      }),
    );
    expect(next.leader_name).toBe("李队长");
  });

  it("is the org's own only: a stranger org has no base, staff have no bases:own", async () => {
    expect((await errorOf(getOwnTeam(t.ctx, actorOf(strangerOrg)))).code).toBe("NOT_FOUND");
    expect((await errorOf(getOwnTeam(t.ctx, actorOf(longyouStaff)))).code).toBe("FORBIDDEN");
  });
});

describe("the roster", () => {
  let zhang: string;
  it("adds one by one and refuses a duplicate stvs number", async () => {
    zhang = (await addVolunteer(t.ctx, actorOf(longyouOrg), vol("张志愿", "13905702222", "v-0001"))).id;
    const e = await errorOf(addVolunteer(t.ctx, actorOf(longyouOrg), vol("重复", "13905702223", "V-0001")));
    expect(e.fieldErrors?.stvsNo).toContain("已在本队");
  });

  it("imports all or nothing, with a row-by-row report", async () => {
    const bad = await xlsxOf([
      ["甲", "13905703001", "V-1001", "化学", "2026-01-01"],
      ["", "13905703002", "", "", ""],
      ["丙", "12345", "V-1001", "", "2026-13-01"],
      ["丁", "13905703004", "V-0001", "", ""],
    ]);
    const r = await importVolunteers(t.ctx, actorOf(longyouOrg), bad);
    expect(r.applied).toBe(false);
    expect(r.invalidRows).toEqual([3, 4, 5]);
    expect(r.problems.find((p) => p.row === 3)?.column).toBe("姓名");
    expect(r.problems.filter((p) => p.row === 4).map((p) => p.column)).toEqual(["手机号", "加入日期"]);
    expect(r.problems.find((p) => p.row === 5)?.message).toContain("已在本队");
    expect((await listOwnVolunteers(t.ctx, actorOf(longyouOrg))).total).toBe(1);

    const good = await xlsxOf(
      Array.from({ length: 30 }, (_, i) => [
        `志愿者${String(i).padStart(2, "0")}`,
        `139057040${String(i).padStart(2, "0")}`,
        `V-2${String(i).padStart(3, "0")}`,
        "科普讲解",
        "2026-02-01",
      ]),
    );
    const ok = await importVolunteers(t.ctx, actorOf(longyouOrg), good);
    expect(ok).toMatchObject({ applied: true, imported: 30 });
    expect((await listOwnVolunteers(t.ctx, actorOf(longyouOrg), { limit: 100 })).total).toBe(31);
    expect((await audits("volunteer.import"))[0].detail).toContain('"imported":30');
  });

  it("gives the roster page its team, counts, a page of the roster and its total, for the own base only", async () => {
    const all = await getRosterPage(t.ctx, actorOf(longyouOrg), { limit: 20 });
    expect(all.base.id).toBe(longyouBase);
    expect(all.team?.name).toBe("龙游县水产养殖协会科技志愿服务队");
    // The team read as JSON has every column, with the types of the row itself.
    expect(all.team).toEqual((await getOwnTeam(t.ctx, actorOf(longyouOrg))).team);
    expect(all.proofs).toBe(0);
    expect(all.counts.active).toBe(31);
    expect(all.roster.total).toBe(31);
    // The page is the roster's own order (by name, then id), the second page follows it.
    const byName = (await listOwnVolunteers(t.ctx, actorOf(longyouOrg), { limit: 40 })).rows;
    const shown = (r: { id: string; name: string; phone: string; stvs_no: string }) => ({
      id: r.id,
      name: r.name,
      phone: r.phone,
      stvs_no: r.stvs_no,
    });
    expect(all.roster.rows.map(shown)).toEqual(byName.slice(0, 20).map(shown));
    const second = await getRosterPage(t.ctx, actorOf(longyouOrg), { offset: 20, limit: 20 });
    expect(second.roster.rows.map(shown)).toEqual(byName.slice(20).map(shown));
    const found = await getRosterPage(t.ctx, actorOf(longyouOrg), { q: "志愿者0", limit: 20 });
    expect(found.roster.total).toBe(10);
    expect(found.roster.rows.every((r) => r.name.includes("志愿者0"))).toBe(true);
    // The base's started activities only, newest first.
    expect(all.activities.map((a) => a.id)).toEqual([secondActivity, pastActivity]);
    expect((await getRosterPage(t.ctx, actorOf(longyouOrg), { status: "left" })).roster.total).toBe(0);
    expect((await errorOf(getRosterPage(t.ctx, actorOf(strangerOrg), {}))).code).toBe("NOT_FOUND");
    expect((await errorOf(getRosterPage(t.ctx, actorOf(longyouStaff), {}))).code).toBe("FORBIDDEN");
  });

  it("refuses an unreadable file", async () => {
    const e = await errorOf(importVolunteers(t.ctx, actorOf(longyouOrg), Buffer.from("not a workbook")));
    expect(e.code).toBe("VALIDATION");
  });

  describe("service records", () => {
    it("records hours on a past activity for several volunteers, pending confirmation", async () => {
      const roster = await listOwnVolunteers(t.ctx, actorOf(longyouOrg), { q: "志愿者", limit: 3 });
      const ids = roster.rows.map((v) => v.id);
      expect(ids).not.toContain(zhang);
      const n = await recordServices(
        t.ctx,
        actorOf(longyouOrg),
        pastActivity,
        serviceSchema.parse({ volunteerIds: [...ids, zhang], startsAt: "2026-05-01T09:00", hours: "2" }),
      );
      expect(n).toBe(4);
      const { rows } = await listActivityServices(t.ctx, actorOf(longyouOrg), pastActivity);
      expect(rows.every((r) => r.status === "recorded" && r.minutes === 120)).toBe(true);
      const page = await getRosterPage(t.ctx, actorOf(longyouOrg), {});
      expect(page.activities.map((a) => [a.id, Number(a.services)])).toEqual([
        [secondActivity, 0],
        [pastActivity, 4],
      ]);
    });

    it("refuses an overlapping record for the same person, with the other activity named", async () => {
      const e = await errorOf(
        recordServices(
          t.ctx,
          actorOf(longyouOrg),
          secondActivity,
          serviceSchema.parse({ volunteerIds: [zhang], startsAt: "2026-05-01T10:00", hours: "2" }),
        ),
      );
      expect(e.code).toBe("VALIDATION");
      expect(e.fieldErrors?.startsAt).toContain("重叠");
      expect(e.fieldErrors?.startsAt).toContain("水产科普讲座");
    });

    it("refuses more than 24 hours in a day", async () => {
      const e = await errorOf(
        recordServices(
          t.ctx,
          actorOf(longyouOrg),
          secondActivity,
          serviceSchema.parse({ volunteerIds: [zhang], startsAt: "2026-05-01T11:00", hours: "23" }),
        ),
      );
      expect(e.fieldErrors?.hours).toContain("24 小时");
      // 22 hours after the 2 recorded makes exactly 24: allowed.
      await recordServices(
        t.ctx,
        actorOf(longyouOrg),
        secondActivity,
        serviceSchema.parse({ volunteerIds: [zhang], startsAt: "2026-05-01T11:00", hours: "12" }),
      );
    });

    it("refuses an activity that has not started, and another base's activity as missing", async () => {
      const input = serviceSchema.parse({ volunteerIds: [zhang], startsAt: "2026-05-10T09:00", hours: "1" });
      expect(
        (await errorOf(recordServices(t.ctx, actorOf(longyouOrg), futureActivity, input))).fieldErrors
          ?.startsAt,
      ).toContain("活动开始后");
      expect((await errorOf(recordServices(t.ctx, actorOf(longyouOrg), otherActivity, input))).code).toBe(
        "NOT_FOUND",
      );
      expect((await errorOf(listActivityServices(t.ctx, actorOf(jiangshanOrg), pastActivity))).code).toBe(
        "NOT_FOUND",
      );
    });

    it("the leader confirms; confirmed records cannot be deleted", async () => {
      const { rows } = await listActivityServices(t.ctx, actorOf(longyouOrg), pastActivity);
      expect(await confirmServices(t.ctx, actorOf(longyouOrg), pastActivity)).toBe(4);
      expect((await errorOf(deleteService(t.ctx, actorOf(longyouOrg), pastActivity, rows[0].id))).code).toBe(
        "CONFLICT",
      );
      expect((await errorOf(confirmServices(t.ctx, actorOf(longyouOrg), pastActivity))).code).toBe(
        "CONFLICT",
      );
    });

    it("yearly totals count confirmed hours", async () => {
      const r = await getVolunteerRecord(t.ctx, actorOf(longyouOrg), zhang);
      expect(r.services.length).toBe(2);
      expect(r.total).toBe(2);
      expect(r.totals).toEqual([{ year: 2026, minutes: 120, count: 1 }]);
      // Paged newest first: the second page holds the older record.
      const second = await getVolunteerRecord(t.ctx, actorOf(longyouOrg), zhang, { offset: 1, limit: 1 });
      expect(second.services.map((s) => s.id)).toEqual([r.services[1].id]);
      expect(second.total).toBe(2);
    });

    it("prints a certificate with the name, team number and hours", async () => {
      const d = await certificateData(t.ctx, actorOf(longyouOrg), zhang, 2026);
      const pdf = await renderServiceCertificatePdf({
        volunteerName: d.volunteer.name,
        stvsNo: d.volunteer.stvs_no,
        teamName: d.team!.name,
        stvsOrgNo: d.team!.stvs_org_no,
        baseName: d.base.name,
        year: 2026,
        minutes: d.minutes,
        services: d.services.map((s) => ({
          activityName: s.activity_name,
          serviceDate: s.service_date,
          minutes: s.minutes,
        })),
        issuedAt: clock.now(),
      });
      const text = extractPdfText(pdf)
        .map((p) => p.text)
        .join("")
        .replace(/\s+/g, "");
      expect(text).toContain("志愿服务证明");
      expect(text).toContain("张志愿");
      expect(text).toContain("ZJ-LY-0001");
      expect(text).toContain("累计服务时长2小时");
      expect((await audits("volunteer.certificate")).length).toBe(1);
      expect((await errorOf(certificateData(t.ctx, actorOf(jiangshanOrg), zhang, 2026))).code).toBe(
        "NOT_FOUND",
      );
    });

    it("exports hours with the stvs numbers, audited; another base's export holds none of them", async () => {
      const rows = await sheetRows(await prepareOwnHoursXlsx(t.ctx, actorOf(longyouOrg)));
      expect(rows[0]).toEqual([
        "志愿者编号",
        "姓名",
        "活动名称",
        "服务日期",
        "服务时长（小时）",
        "服务队组织编号",
        "服务队名称",
        "基地名称",
      ]);
      expect(rows.length).toBe(5);
      expect(rows.find((r) => r[1] === "张志愿")).toEqual([
        "V-0001",
        "张志愿",
        "水产科普讲座",
        "2026-05-01",
        "2",
        "ZJ-LY-0001",
        "龙游县水产养殖协会科技志愿服务队",
        "龙游县水产养殖协会科普教育基地",
      ]);
      const other = await sheetRows(await prepareOwnHoursXlsx(t.ctx, actorOf(jiangshanOrg)));
      expect(other.length).toBe(1);
      expect((await audits("volunteer.export_hours")).length).toBe(2);
    });

    it("staff export their scope only: the county's own staff see the names, another county's none", async () => {
      const own = await sheetRows(await prepareScopeHoursXlsx(t.ctx, actorOf(longyouStaff)));
      expect(own.some((r) => r[1] === "张志愿")).toBe(true);
      const other = await sheetRows(await prepareScopeHoursXlsx(t.ctx, actorOf(jiangshanStaff)));
      expect(other.flat().join()).not.toContain("张志愿");
      const cityRows = await sheetRows(await prepareScopeHoursXlsx(t.ctx, actorOf(city)));
      expect(cityRows.length).toBe(5);
      expect((await errorOf(prepareScopeHoursXlsx(t.ctx, actorOf(evaluator)))).code).toBe("FORBIDDEN");
      expect((await errorOf(prepareScopeHoursXlsx(t.ctx, actorOf(longyouOrg)))).code).toBe("FORBIDDEN");
    });

    it("exports the roster with phones for the base itself, audited", async () => {
      const rows = await sheetRows(await prepareOwnRosterXlsx(t.ctx, actorOf(longyouOrg)));
      expect(rows.length).toBe(32);
      expect(rows.find((r) => r[0] === "张志愿")?.[1]).toBe("13905702222");
      const other = await sheetRows(await prepareOwnRosterXlsx(t.ctx, actorOf(jiangshanOrg)));
      expect(other.length).toBe(1);
      expect((await audits("volunteer.export_roster")).length).toBe(2);
    });

    it("staff statistics: per base in scope, unregistered flagged, confirmed hours", async () => {
      const own = await teamStats(t.ctx, actorOf(longyouStaff), 2026);
      expect(own.map((r) => r.baseId)).toEqual([longyouBase]);
      expect(own[0]).toMatchObject({ status: "registered", volunteers: 31, minutes: 480 });
      const all = await teamStats(t.ctx, actorOf(city), 2026);
      expect(all.find((r) => r.baseId === jiangshanBase)?.status).toBe("none");
      const other = await teamStats(t.ctx, actorOf(jiangshanStaff), 2026);
      expect(other.map((r) => r.baseId)).toEqual([jiangshanBase]);
      expect((await errorOf(teamStats(t.ctx, actorOf(evaluator), 2026))).code).toBe("FORBIDDEN");
    });

    it("a volunteer who leaves is anonymized; the hours stay in the totals", async () => {
      const v = await getVolunteerRecord(t.ctx, actorOf(longyouOrg), zhang);
      await removeVolunteer(t.ctx, actorOf(longyouOrg), zhang, v.volunteer.version);
      const after = await getVolunteerRecord(t.ctx, actorOf(longyouOrg), zhang);
      expect(after.volunteer).toMatchObject({
        name: ANONYMIZED_NAME,
        phone: "",
        stvs_no: "",
        status: "left",
      });
      expect(after.totals).toEqual([{ year: 2026, minutes: 120, count: 1 }]);
      const stats = await teamStats(t.ctx, actorOf(longyouStaff), 2026);
      expect(stats[0]).toMatchObject({ volunteers: 30, minutes: 480 });
      const leave = await audits("volunteer.leave");
      expect(leave[0].detail).not.toContain("张志愿");
      // Nothing of the name is left in the database's volunteer rows.
      const named = await t.ctx.db
        .selectFrom("volunteers")
        .select("id")
        .where("name", "=", "张志愿")
        .execute();
      expect(named).toEqual([]);
      expect((await publicTeamSummary(t.ctx, longyouBase))?.volunteers).toBe(30);
    });

    it("another base cannot open, remove or certify this base's volunteer", async () => {
      const one = (await listOwnVolunteers(t.ctx, actorOf(longyouOrg), { limit: 1 })).rows[0];
      expect((await errorOf(getVolunteerRecord(t.ctx, actorOf(jiangshanOrg), one.id))).code).toBe(
        "NOT_FOUND",
      );
      expect((await errorOf(removeVolunteer(t.ctx, actorOf(jiangshanOrg), one.id, one.version))).code).toBe(
        "NOT_FOUND",
      );
      const denied = await t.ctx.db
        .selectFrom("audit_events")
        .select("target_id")
        .where("action", "=", "access.denied")
        .where("target_id", "=", one.id)
        .execute();
      expect(denied.length).toBeGreaterThan(0);
    });
  });
});

describe("the proof file (volunteer_team / volunteer_proof)", () => {
  it("the base uploads; it and staff in scope read; another county and another base do not", async () => {
    registerVolunteerFiles();
    const hooks = getFileOwner("volunteer_team")!;
    expect(getSlot("volunteer_team", "volunteer_proof")?.kinds).toEqual(["image", "pdf"]);
    const write = (u: MadeUser) => hooks.canWrite(t.ctx, actorOf(u), longyouBase, "volunteer_proof");
    const read = (u: MadeUser) => hooks.canRead(t.ctx, actorOf(u), longyouBase);
    expect(await write(longyouOrg)).toEqual({ regionCode: "330825" });
    expect(await write(jiangshanOrg)).toBeNull();
    expect(await write(longyouStaff)).toBeNull();
    expect(await read(longyouOrg)).toEqual({ regionCode: "330825" });
    expect(await read(longyouStaff)).toEqual({ regionCode: "330825" });
    expect(await read(city)).toEqual({ regionCode: "330825" });
    expect(await read(jiangshanStaff)).toBeNull();
    expect(await read(jiangshanOrg)).toBeNull();
    expect(await read(evaluator)).toBeNull();
  });
});

describe("a registered team's name and number change by a change report", () => {
  let org: MadeUser;
  let baseId: string;
  let office: MadeUser;
  let jiangshanOffice: MadeUser;
  const unit = "龙游县农业科技园";
  const teamOf = () =>
    t.ctx.db
      .selectFrom("volunteer_teams")
      .selectAll()
      .where("base_id", "=", baseId)
      .executeTakeFirstOrThrow();
  const report = (values: Record<string, string>) =>
    fileChangeReport(
      t.ctx,
      actorOf(org),
      changeReportSchema.parse({
        kind: "volunteer_team",
        happenedOn: "2026-05-10",
        explanation: "平台变更",
        ...values,
      }),
    );
  const decide = (who: MadeUser, id: string, decision: "approve" | "return", version = 1) =>
    decideChangeReport(t.ctx, actorOf(who), id, {
      decision,
      reply: decision === "return" ? "材料不全" : "",
      version,
    });

  const saveRegistered = (over: Record<string, string>) =>
    saveTeam(
      t.ctx,
      actorOf(org),
      team({ name: `${unit}科技志愿服务队`, stvsStatus: "registered", registeredOn: "2026-05-01", ...over }),
    );

  beforeAll(async () => {
    org = await createUserRecord(t.ctx, { role: "org", regionCode: "330825", login: makeUscc() });
    baseId = await makeBase(org, "330825", unit);
    office = await createUserRecord(t.ctx, { role: "office" });
    jiangshanOffice = await createUserRecord(t.ctx, { role: "office", regionCode: "330881" });
  });

  it("before 已注册 the base edits them directly, and a report is refused as needless", async () => {
    const first = await saveTeam(
      t.ctx,
      actorOf(org),
      team({ name: `${unit}科技志愿服务队`, stvsStatus: "pending", stvsOrgNo: "ZJ-NK-0009" }),
    );
    const next = await saveTeam(
      t.ctx,
      actorOf(org),
      team({
        name: `${unit}科技志愿服务队`,
        stvsStatus: "pending",
        stvsOrgNo: "ZJ-NK-0001",
        version: String(first.version),
      }),
    );
    expect(next.stvs_org_no).toBe("ZJ-NK-0001");
    const e = await errorOf(report({ teamStvsOrgNo: "ZJ-NK-0002" }));
    expect(e.fieldErrors?.teamStvsOrgNo).toBe(TEAM_CHANGE_UNREGISTERED);
  });

  it("after 已注册 a direct edit is refused beside the field, pointing to the change report", async () => {
    const cur = await teamOf();
    const reg = await saveRegistered({ stvsOrgNo: "ZJ-NK-0001", version: String(cur.version) });
    const e = await errorOf(saveRegistered({ stvsOrgNo: "ZJ-NK-0002", version: String(reg.version) }));
    expect(e.code).toBe("VALIDATION");
    expect(e.fieldErrors?.stvsOrgNo).toContain("变更申报");
    expect((await teamOf()).stvs_org_no).toBe("ZJ-NK-0001");
  });

  it("a report keeps the name rule and must change something", async () => {
    const e = await errorOf(report({ teamName: "江山市科技馆科技志愿服务队", teamStvsOrgNo: "ZJ-NK-0001" }));
    expect(e.fieldErrors?.teamName).toContain(`${unit}科技志愿服务队`);
    expect(e.fieldErrors?.teamStvsOrgNo).toContain("无需变更");
  });

  it("returned: nothing changes; another county's office and county staff cannot decide", async () => {
    const r = await report({ teamStvsOrgNo: "zj-nk-0002" });
    expect(JSON.parse(r.details)).toMatchObject({
      values: { teamStvsOrgNo: "ZJ-NK-0002" },
      previous: { teamStvsOrgNo: "ZJ-NK-0001" },
    });
    expect((await errorOf(decide(jiangshanOffice, r.id, "approve"))).code).toBe("NOT_FOUND");
    expect((await errorOf(decide(longyouStaff, r.id, "approve"))).code).toBe("FORBIDDEN");
    expect((await teamOf()).stvs_org_no).toBe("ZJ-NK-0001");
    const denied = await t.ctx.db
      .selectFrom("audit_events")
      .select("actor_id")
      .where("action", "=", "access.denied")
      .where("target_id", "=", r.id)
      .execute();
    expect(denied.map((d) => d.actor_id)).toContain(jiangshanOffice.id);
    await decide(office, r.id, "return");
    expect((await teamOf()).stvs_org_no).toBe("ZJ-NK-0001");
  });

  it("approved: the team takes the new number in the same transaction, audited", async () => {
    const before = await teamOf();
    const r = await report({ teamStvsOrgNo: "ZJ-NK-0002" });
    await decide(office, r.id, "approve");
    const after = await teamOf();
    expect(after).toMatchObject({
      stvs_org_no: "ZJ-NK-0002",
      name: before.name,
      version: before.version + 1,
    });
    const audit = (await audits("volunteer_team.change")).find((a) => a.target_id === baseId);
    expect(JSON.parse(audit!.detail ?? "{}")).toMatchObject({
      changeReportId: r.id,
      before: { stvsOrgNo: "ZJ-NK-0001" },
      after: { stvsOrgNo: "ZJ-NK-0002" },
    });
    const approve = (await audits("change_report.approve")).find((a) => a.target_id === r.id);
    expect(JSON.parse(approve!.detail ?? "{}").after.base.team).toEqual({ stvsOrgNo: "ZJ-NK-0002" });
    // The new number is the registered one: a direct edit back is refused again.
    const e = await errorOf(
      saveRegistered({ name: before.name, stvsOrgNo: "ZJ-NK-0001", version: String(after.version) }),
    );
    expect(e.fieldErrors?.stvsOrgNo).toContain("变更申报");
  });

  it("a rename carries the team's name, checked against the new unit, and applies both", async () => {
    const rename = (teamName: string) =>
      fileChangeReport(
        t.ctx,
        actorOf(org),
        changeReportSchema.parse({
          kind: "rename",
          happenedOn: "2026-05-10",
          unitName: "龙游县现代农业科技园",
          teamName,
          explanation: "单位更名",
        }),
      );
    const e = await errorOf(rename("龙游县别的单位科技志愿服务队"));
    expect(e.fieldErrors?.teamName).toContain("龙游县现代农业科技园科技志愿服务队");
    const r = await rename("龙游县现代农业科技园科技志愿服务队");
    await decide(office, r.id, "approve");
    const base = await t.ctx.db
      .selectFrom("bases")
      .selectAll()
      .where("id", "=", baseId)
      .executeTakeFirstOrThrow();
    expect(base.unit_name).toBe("龙游县现代农业科技园");
    expect((await teamOf()).name).toBe("龙游县现代农业科技园科技志愿服务队");
    // The leader still changes directly.
    const cur = await teamOf();
    const saved = await saveRegistered({
      name: cur.name,
      stvsOrgNo: cur.stvs_org_no,
      leaderName: "赵队长",
      version: String(cur.version),
    });
    expect(saved.leader_name).toBe("赵队长");
  });
});
