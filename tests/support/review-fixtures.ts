import { draftFromForm } from "#src/modules/applications/applications.schema.ts";
import {
  recordSiteInspection,
  reviewApplication,
  saveDraft,
  startApplication,
  submitApplication,
} from "#src/modules/applications/applications.server.ts";
import type { AppContext } from "#src/platform/context.ts";
import { attachRequiredFiles, validApplicationForm } from "./application-fixtures.ts";
import { actorOf, createUserRecord, type MadeUser } from "./factories.ts";

export type ReviewStep =
  | {
      by: MadeUser;
      action: "recommend" | "decline" | "pass" | "reject" | "confirm" | "return";
      opinion?: string;
      score?: string;
      opinionDate?: string;
    }
  | { by: MadeUser; action: "inspect"; inspectedOn: string; inspectors: string; findings: string };

/**
 * An application of a new organization of `regionCode` to `callId`, submitted and taken through
 * `steps` (each step by its reviewer, at the version the one before left). Returns its id and org.
 */
export async function reviewedApplication(
  ctx: AppContext,
  callId: string,
  regionCode: string,
  name: string,
  steps: ReviewStep[] = [],
): Promise<{ id: string; org: MadeUser }> {
  const org = await createUserRecord(ctx, { role: "org", regionCode });
  const id = await startApplication(ctx, actorOf(org), callId);
  const form = { ...validApplicationForm(), regionCode, baseName: `${name}科普教育基地`, unitName: name };
  let { version } = await saveDraft(ctx, actorOf(org), id, draftFromForm(form), 1);
  await attachRequiredFiles(ctx, id, regionCode);
  await submitApplication(ctx, actorOf(org), id, version);
  version += 1;
  for (const step of steps) {
    if (step.action === "inspect") {
      await recordSiteInspection(ctx, actorOf(step.by), id, {
        inspectedOn: step.inspectedOn,
        inspectors: step.inspectors,
        findings: step.findings,
        version,
      });
    } else {
      await reviewApplication(ctx, actorOf(step.by), id, {
        action: step.action,
        opinion: step.opinion ?? "同意",
        internalNote: "",
        opinionDate: step.opinionDate ?? "",
        returnDeadline: "",
        score: step.score ?? "",
        version,
      });
    }
    version += 1;
  }
  return { id, org };
}
