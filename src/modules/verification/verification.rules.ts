import type { VerificationStatus } from "#src/platform/db/schema.ts";

/** Labels and messages of 单位认证, shared by the server and the pages (no server code here). */
export const VERIFICATION_STATUS_LABELS: Record<VerificationStatus, string> = {
  unverified: "未认证",
  pending: "待审核",
  returned: "已退回",
  verified: "已认证",
};

/** What to do to get verified, in the words the org reads wherever verification stops it. */
export const HOW_TO_VERIFY =
  "请在【我的工作台】→【单位认证】上传营业执照或事业单位法人证书及授权委托书，由所在县（市、区）科协审核通过；" +
  "已认定基地的单位也可在该页输入县（市、区）科协开具的认领码。";

export const SUBMIT_NEEDS_VERIFICATION = `贵单位账号尚未通过单位认证，暂不能提交申报（草稿已保存）。${HOW_TO_VERIFY}`;
