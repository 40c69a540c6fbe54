/** Error codes a use case may raise; the HTTP boundary maps each to a status. */
export type AppErrorCode =
  | "VALIDATION"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "LOCKED"
  | "RATE_LIMITED"
  | "TOO_LARGE";

const STATUS: Record<AppErrorCode, number> = {
  VALIDATION: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LOCKED: 423,
  RATE_LIMITED: 429,
  TOO_LARGE: 413,
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Field-level messages, keyed by form field name. */
  readonly fieldErrors?: Record<string, string>;

  constructor(code: AppErrorCode, message: string, fieldErrors?: Record<string, string>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = fieldErrors;
  }

  get status(): number {
    return STATUS[this.code];
  }
}

export const notFound = () => new AppError("NOT_FOUND", "未找到该记录");

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
