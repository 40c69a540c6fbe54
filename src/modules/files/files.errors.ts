import { AppError } from "#src/platform/errors.ts";

export type RejectReason =
  | "too_large"
  | "type_not_allowed"
  | "bad_image"
  | "too_many_pixels"
  | "count_exceeded"
  | "empty"
  | "no_file"
  | "bad_request";

const STATUS: Record<RejectReason, 413 | 415 | 422 | 400> = {
  too_large: 413,
  type_not_allowed: 415,
  bad_image: 415,
  too_many_pixels: 422,
  count_exceeded: 422,
  empty: 422,
  no_file: 422,
  bad_request: 400,
};

/**
 * An upload refused for what it is (size, type, count). An AppError, so any boundary can show the
 * message; its status is the precise HTTP one (413/415/422) rather than the code's default.
 */
export class FileRejected extends AppError {
  readonly reason: RejectReason;

  constructor(reason: RejectReason, message: string) {
    super(reason === "too_large" ? "TOO_LARGE" : "VALIDATION", message);
    this.name = "FileRejected";
    this.reason = reason;
  }

  override get status(): number {
    return STATUS[this.reason];
  }
}
