/** Repeated fields (checkbox groups) joined into one comma-separated value, which the zod schemas split. */
export function joinChoices(fd: FormData, names: readonly string[]): FormData {
  for (const name of names) {
    const all = fd.getAll(name).filter((v): v is string => typeof v === "string" && v !== "");
    fd.set(name, all.join(","));
  }
  return fd;
}
