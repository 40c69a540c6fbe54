/**
 * Entry point. NODE_ENV=production is the operator's switch for "no demo data"; it is read
 * into KEPU_PRODUCTION first, because React and antd must always run their production
 * builds when serving the built app (their development builds are several times slower).
 */
process.env.KEPU_PRODUCTION ??= process.env.NODE_ENV === "production" ? "1" : "0";
if (!process.argv.includes("--dev")) process.env.NODE_ENV = "production";
await import("./src/server/main.server.ts");
export {};
