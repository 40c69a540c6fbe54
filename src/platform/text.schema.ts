import { z } from "zod";
import { cleanLine, cleanText } from "./text.rules.ts";

type StringParams = Parameters<typeof z.string>[0];

/** A single-line text field, normalized before any check (text.rules.ts). */
export const line = (params?: StringParams) => z.string(params).overwrite(cleanLine);

/** A multi-line text field (a textarea), normalized before any check. */
export const multiline = (params?: StringParams) => z.string(params).overwrite(cleanText);
