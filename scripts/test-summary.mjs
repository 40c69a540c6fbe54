// Prints each suite's counts and the closing "N passed, N failed" line over all suites.
import fs from "node:fs";
import path from "node:path";

const [dir, failedSteps = "0", skipped = ""] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skippedTests = 0;
const rows = [];
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
const strip = (s) => s.replace(ANSI, "");

for (const f of fs.readdirSync(dir).sort()) {
  const file = path.join(dir, f);
  if (f.endsWith(".json")) {
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    const skip = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    rows.push([f.replace(/\.json$/, ""), r.numPassedTests, r.numFailedTests, skip]);
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skippedTests += skip;
  } else if (f.startsWith("e2e-") && f.endsWith(".log")) {
    const log = strip(fs.readFileSync(file, "utf8"));
    const num = (re) => Number(log.match(re)?.[1] ?? 0);
    const p = num(/^\s*(\d+) passed/m);
    const fl = num(/^\s*(\d+) failed/m) + num(/^\s*(\d+) flaky/m);
    const s = num(/^\s*(\d+) skipped/m);
    rows.push([`browser-${f.slice(4, -4)}`, p, fl, s]);
    passed += p;
    failed += fl;
    skippedTests += s;
  }
}

console.log("\nSuite                     passed  failed  skipped");
for (const [name, p, f, s] of rows) {
  console.log(
    `${name.padEnd(25)} ${String(p).padStart(6)}  ${String(f).padStart(6)}  ${String(s).padStart(7)}`,
  );
}
if (skipped) console.log(`Suites not run: ${skipped}`);
if (process.env.CI === "true" && skippedTests > 0) {
  console.log(`${skippedTests} tests were skipped; CI does not allow skipped tests.`);
  failed += skippedTests;
}
console.log(`\n${passed} passed, ${failed} failed${skippedTests ? `, ${skippedTests} skipped` : ""}`);
process.exit(failed > 0 || Number(failedSteps) > 0 ? 1 : 0);
