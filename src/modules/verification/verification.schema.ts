import { z } from "zod";

/** 通过 / 退回 in the verification queue; a return needs a reason the org will read. */
export const decideVerificationSchema = z
  .object({
    userId: z.string().min(1).max(64),
    decision: z.enum(["approve", "return"], { message: "请选择通过或退回" }),
    reason: z.string().trim().max(500, "理由最多500字").default(""),
    version: z.coerce.number().int().min(1),
  })
  .refine((v) => v.decision === "approve" || v.reason.length > 0, {
    path: ["reason"],
    message: "退回时请填写理由",
  });

export const claimCodeSchema = z.object({
  code: z.string().trim().min(1, "请输入认领码").max(40, "认领码应为16位字母和数字"),
});
