import { formatShanghai } from "#src/platform/clock.ts";
import { isAppError } from "#src/platform/errors.ts";

const headers = { "Cache-Control": "no-store" };

/** The answer a draft's autosave endpoint gives `useDraftAutosave`: the new version, or why not. */
export async function autosaveAnswer(
  save: () => Promise<{ version: number; savedAt: string }>,
): Promise<Response> {
  try {
    const saved = await save();
    return Response.json(
      { ok: true, version: saved.version, savedAt: formatShanghai(saved.savedAt) },
      { headers },
    );
  } catch (e) {
    if (isAppError(e)) return Response.json({ ok: false, message: e.message }, { status: e.status, headers });
    throw e;
  }
}

/** A form the autosave could not read: the first problem, as the hook shows it. */
export function autosaveRefused(message: string | undefined): Response {
  return Response.json({ ok: false, message: message ?? "无法保存" }, { status: 422, headers });
}
