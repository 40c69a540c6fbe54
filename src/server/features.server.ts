import { registerActivityFiles } from "#src/modules/activities/activities.files.ts";
import { ACTIVITY_JOB_HANDLERS } from "#src/modules/activities/activities.server.ts";
import { API_CACHEABLE, createApiRouter, isApiPath } from "#src/modules/api/api.router.ts";
import { registerApplicationFiles } from "#src/modules/applications/applications.files.ts";
import { registerArticleFiles } from "#src/modules/articles/articles.files.ts";
import { AUDIT_JOB_HANDLERS, recordDenial } from "#src/modules/audit/audit.server.ts";
import { registerBaseFiles } from "#src/modules/bases/bases.files.ts";
import { registerCallFiles } from "#src/modules/calls/calls.files.ts";
import { registerWarningFiles } from "#src/modules/dynamic-management/dynamic-management.files.ts";
import { WARNING_JOB_HANDLERS } from "#src/modules/dynamic-management/dynamic-management.server.ts";
import { registerEvaluationFiles } from "#src/modules/evaluation/evaluation.files.ts";
import { EVALUATION_JOB_HANDLERS } from "#src/modules/evaluation/evaluation-scoring.server.ts";
import { createFilesRouter } from "#src/modules/files/files.router.ts";
import { registerNoticeFiles } from "#src/modules/notices/notices.files.ts";
import { NOTICE_JOB_HANDLERS } from "#src/modules/notices/notices.server.ts";
import {
  NOTIFICATION_JOB_HANDLERS,
  scheduleNotificationJobs,
} from "#src/modules/notifications/notification-jobs.server.ts";
import { UNREAD_FIGURE, unreadCountFigure } from "#src/modules/notifications/notifications.server.ts";
import { SCHOOL_JOB_HANDLERS } from "#src/modules/schools/school-orders.server.ts";
import { registerSchoolFiles } from "#src/modules/schools/schools.files.ts";
import { registerVerificationFiles } from "#src/modules/verification/verification.files.ts";
import { registerVolunteerFiles } from "#src/modules/volunteers/volunteers.files.ts";
import type { AppContext } from "#src/platform/context.ts";
import type { HttpFeatures } from "#src/platform/http/http-app.server.ts";
import type { JobHandler } from "#src/platform/jobs/jobs.server.ts";

/**
 * What each feature plugs into the platform, in one place: its durable jobs, who may touch its
 * records' files, its HTTP handlers outside React Router, and what it schedules at start. The
 * platform receives these as parameters and imports no feature (a test and a lint rule hold it so).
 */

/** Every feature's durable jobs by name; every worker polls for them. A name used twice fails at start. */
export const JOB_HANDLERS: Record<string, JobHandler> = jobHandlers(
  NOTICE_JOB_HANDLERS,
  ACTIVITY_JOB_HANDLERS,
  AUDIT_JOB_HANDLERS,
  NOTIFICATION_JOB_HANDLERS,
  EVALUATION_JOB_HANDLERS,
  SCHOOL_JOB_HANDLERS,
  WARNING_JOB_HANDLERS,
);

export function jobHandlers(...sets: Record<string, JobHandler>[]): Record<string, JobHandler> {
  const all: Record<string, JobHandler> = {};
  for (const set of sets)
    for (const [name, handler] of Object.entries(set)) {
      if (name in all) throw new Error(`job handler registered twice: ${name}`);
      all[name] = handler;
    }
  return all;
}

/** Each feature tells the files module who may touch its records' files (replaces earlier hooks). */
export function registerFileOwners(): void {
  registerApplicationFiles();
  registerBaseFiles();
  registerCallFiles();
  registerNoticeFiles();
  registerActivityFiles();
  registerVerificationFiles();
  registerVolunteerFiles();
  registerEvaluationFiles();
  registerSchoolFiles();
  registerArticleFiles();
  registerWarningFiles();
}

/**
 * The features' part of the HTTP app: the files routes, the JSON API (/api/v1, cookie-less, its anonymous
 * reads kept by the response cache), and the audit of refused foreign writes.
 */
export function httpFeatures(ctx: AppContext): HttpFeatures {
  registerFileOwners();
  return {
    handlers: [createApiRouter(ctx), createFilesRouter(ctx)],
    sessionless: isApiPath,
    cacheable: API_CACHEABLE,
    // The header's unread count, read with the session on every signed-in page.
    sessionFigures: { [UNREAD_FIGURE]: unreadCountFigure },
    // Counted per source and window, not a row per request: a flood cannot grow the log.
    onForeignOrigin: (actor, request) =>
      recordDenial(ctx, actor, {
        action: "access.denied",
        outcome: "denied",
        detail: { reason: "csrf_origin", method: request.method, path: request.path },
      }),
  };
}

/** Once per start, in the primary after the migrations: the jobs features keep scheduled. */
export async function scheduleFeatureJobs(ctx: AppContext): Promise<void> {
  await scheduleNotificationJobs(ctx);
}
