// Bundles the server's workflow validator (lib/dsl's checkWorkflow, with jsonata, jexl, yaml and the
// step schemas) into dist/dsl.js, so that the builder checks definitions offline exactly as the server does.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
await build({
	stdin: { contents: 'export { checkWorkflow } from "../../../lib/dsl";', resolveDir: path.join(here, "..", "src"), sourcefile: "dsl-entry.ts", loader: "ts" },
	outfile: path.join(here, "..", "dist", "dsl.js"),
	bundle: true,
	platform: "node",
	format: "cjs",
	target: "node22",
	minify: true,
	legalComments: "linked",
	logLevel: "warning"
});
