// Builds the console into a folder of static files (default: the jar's scoria-console/ resources).
// Usage: node build.mjs [OUT_DIR]
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ?? join(here, "target", "classes", "scoria-console");

await rm(out, { recursive: true, force: true });
await mkdir(join(out, "vendor"), { recursive: true });
await build({
  entryPoints: [join(here, "src", "main.ts")],
  outfile: join(out, "app.js"),
  bundle: true,
  format: "esm",
  target: ["es2020"],
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});
await copyFile(join(here, "src", "index.html"), join(out, "index.html"));
await copyFile(join(here, "src", "app.css"), join(out, "app.css"));
// Swagger UI as shipped on the npm registry: served by Scoria itself, so the console works offline.
const swagger = join(here, "node_modules", "swagger-ui-dist");
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"]) {
  await copyFile(join(swagger, file), join(out, "vendor", file === "LICENSE" || file === "NOTICE" ? `swagger-ui-${file}` : file));
}
console.log(`console built into ${out}`);
