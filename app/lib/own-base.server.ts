import { redirect } from "react-router";
import { isAppError } from "#src/platform/errors.ts";

/**
 * For pages under 【我的基地】: an organization without a base is sent to 我的基地, which says how to
 * get one (as the change report form does); other errors pass on.
 */
export function toMyBaseWhenMissing(e: unknown): never {
  if (isAppError(e) && e.code === "NOT_FOUND") throw redirect("/my-base");
  throw e;
}
