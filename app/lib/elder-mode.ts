import { ELDER_MODE_COOKIE, parseCookies } from "#src/platform/http/cookies.ts";

/** 长辈模式 is on for this browser (its cookie, set by POST /elder-mode). */
export function elderModeOf(request: Request): boolean {
  return parseCookies(request.headers.get("cookie") ?? undefined)[ELDER_MODE_COOKIE] === "1";
}
