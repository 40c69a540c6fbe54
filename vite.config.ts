import { fileURLToPath } from "node:url";
import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [reactRouter()],
  resolve: {
    alias: {
      "~": fileURLToPath(new URL("./app", import.meta.url)),
      "#src": fileURLToPath(new URL("./src", import.meta.url)),
    },
  },
  ssr: {
    // Native and Node-only packages stay external in the server bundle.
    external: ["better-sqlite3", "pg", "@node-rs/argon2", "sharp", "pdfkit", "exceljs"],
  },
});
