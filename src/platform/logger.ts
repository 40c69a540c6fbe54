import pino from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  // Personal data never reaches the logs.
  redact: ["req.headers.cookie", "password", "*.password", "phone", "*.phone"],
});
export type Logger = typeof logger;
