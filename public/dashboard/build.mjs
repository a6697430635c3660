// Bundles the dashboard (public/dashboard/src, TypeScript) into dist/public/dashboard:
// one script (with socket.io-client and yaml inside), its stylesheet and the page.
// esbuild only bundles; `npm run typecheck` checks the types.
import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, "..", "..", "dist", "public", "dashboard");
mkdirSync(out, { recursive: true });

await build({
	entryPoints: [path.join(here, "src", "main.ts")],
	outdir: out,
	entryNames: "app",
	// The upload page's YAML parser is a chunk of its own, loaded when first needed.
	splitting: true,
	chunkNames: "chunk-[hash]",
	bundle: true,
	minify: true,
	sourcemap: "linked",
	format: "esm",
	target: ["chrome111", "firefox115", "safari16"],
	legalComments: "linked",
	logLevel: "warning"
});
for (const file of ["index.html", "app.css", "favicon.svg"]) copyFileSync(path.join(here, file), path.join(out, file));
