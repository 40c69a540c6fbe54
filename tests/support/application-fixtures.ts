import { APPLICATION_SLOTS } from "#src/modules/applications/application-attachments.server.ts";
import { BASIC_CONDITIONS } from "#src/modules/applications/applications.rules.ts";
import { endOfShanghaiDay } from "#src/modules/calls/calls.rules.ts";
import { insertCall } from "#src/modules/calls/calls.server.ts";
import type { AppContext } from "#src/platform/context.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import { newId } from "#src/platform/ids.ts";
/** A complete, valid 附件2 form post for a 龙游县 applicant. */
export const validApplicationForm = (): Record<string, string> => ({
  regionCode: "330825",
  baseName: "龙游县科技馆科普教育基地",
  unitName: "龙游县科技馆",
  address: "浙江省衢州市龙游县龙洲街道1号",
  leaderName: "张三",
  leaderPhone: "13812345678",
  contactName: "李四",
  contactPhone: "0570-7012345",
  bookingPhone: "7012345",
  volunteerTeamName: "龙游县科技馆科技志愿服务队",
  volunteerCount: "25",
  volunteerLeader: "王五",
  volunteerLeaderPhone: "13900001111",
  openingForm: "免费",
  categoryCode: "science_venue",
  areaSqm: "1200.5",
  openDays: "300",
  intro: "科".repeat(1000),
  honors: "2020年，被表彰为衢州市全国科普日优秀组织单位。",
  ...Object.fromEntries(BASIC_CONDITIONS.map((_, i) => [`cond_${i}`, "on"])),
});

/** The 8th batch as the 2023 notice set it: open until the end of 2023-02-28 in Asia/Shanghai. */
export async function createEighthBatchCall(ctx: AppContext): Promise<string> {
  return insertCall(ctx, {
    kind: "科普教育基地项目认定",
    batchNo: 8,
    title: "第八批衢州市科普教育基地创建",
    level: "city",
    regionCode: "330800",
    opensAt: "2023-01-10T00:00:00+08:00",
    closesAt: endOfShanghaiDay("2023-02-28"),
    categoryCodes: CATEGORIES.map((c) => c.code),
    targets: { "330802": 6, "330803": 6, "330825": 6, "330822": 6, "330881": 6, "330824": 6 },
    notice: "测试通知",
    createdBy: null,
  });
}

/** File rows meeting every slot's minimum (metadata only: use cases count rows, not bytes). */
export async function attachRequiredFiles(ctx: AppContext, applicationId: string, regionCode = "330825") {
  for (const slot of APPLICATION_SLOTS) {
    for (let i = 0; i < slot.min; i++) {
      const id = newId();
      await ctx.db
        .insertInto("files")
        .values({
          id,
          storage_key: `test/${id}`,
          original_name: `${slot.label}${i + 1}.${slot.kinds[0] === "pdf" ? "pdf" : "jpg"}`,
          mime: slot.kinds[0] === "pdf" ? "application/pdf" : "image/jpeg",
          size: 1000,
          sha256: "0".repeat(64),
          kind: slot.kinds[0] === "pdf" ? "pdf" : "image",
          width: null,
          height: null,
          thumb_key: null,
          owner_type: "application",
          owner_id: applicationId,
          slot: slot.id,
          region_code: regionCode,
          created_by: null,
          created_at: ctx.clock.now().toISOString(),
        })
        .execute();
    }
  }
}
