import { existsSync } from "node:fs";
import path from "node:path";
import { loadConfig, SETTINGS } from "../../../lib/config";
import { readText, ROOT, SETTING_NAMES } from "../../support/deployment";

/** The Dockerfile's instructions, continuation lines joined and comments dropped. */
const instructions = readText("Dockerfile")
	.replace(/\\\n/g, " ")
	.split("\n")
	.map(l => l.trim())
	.filter(l => l && !l.startsWith("#"))
	.map(l => {
		const [keyword, ...rest] = l.split(/\s+/);
		return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
	});
const stages = instructions.reduce<{ keyword: string; args: string }[][]>((acc, i) => {
	if (i.keyword === "FROM") acc.push([]);
	acc.at(-1)?.push(i);
	return acc;
}, []);
const runtime = stages.at(-1)!;
const all = (stage: typeof runtime, keyword: string) => stage.filter(i => i.keyword === keyword).map(i => i.args);

describe("Dockerfile", () => {
	it("builds in one node:22-slim stage and runs in another", () => {
		expect(instructions.filter(i => i.keyword === "FROM").map(i => i.args)).toEqual(["node:22-slim AS build", "node:22-slim"]);
	});

	it("ships production dependencies only, and the compiled code", () => {
		expect(all(stages[0], "RUN").join(" ")).toMatch(/npm ci .*&& npm prune --omit=dev/);
		expect(all(runtime, "COPY")).toEqual(expect.arrayContaining(["--from=build /app/node_modules ./node_modules", "--from=build /app/dist ./dist"]));
		expect(all(runtime, "RUN").join(" ")).not.toMatch(/npm (ci|install)/);
	});

	it("runs as the unprivileged node user", () => {
		const users = all(runtime, "USER");
		expect(users).toEqual(["node"]);
		expect(runtime.findIndex(i => i.keyword === "USER")).toBeLessThan(runtime.findIndex(i => i.keyword === "CMD"));
	});

	it("checks health on /health/live with a script the build produces, and starts a node", () => {
		expect(all(runtime, "HEALTHCHECK")[0]).toMatch(/CMD \["node", "dist\/bin\/healthcheck\.js"\]$/);
		expect(existsSync(path.join(ROOT, "bin/healthcheck.ts"))).toBe(true);
		expect(readText("bin/healthcheck.ts")).toContain("/health/live");
		expect(all(runtime, "CMD")).toEqual(['["node", "dist/bin/cognitionos.js"]']);
	});

	it("sets only settings the configuration knows, and exposes the ports they name", () => {
		const env = Object.fromEntries(all(runtime, "ENV").flatMap(args => [...args.matchAll(/([A-Z0-9_]+)=(\S+)/g)].map(m => [m[1], m[2]])));
		expect(Object.keys(env).filter(k => !SETTING_NAMES.has(k))).toEqual([]);
		const config = loadConfig(env);
		const exposed = all(runtime, "EXPOSE").flatMap(a => a.split(/\s+/).map(Number));
		expect(exposed).toEqual(expect.arrayContaining([config.API_PORT, config.HEALTH_PORT]));
		expect(Number(SETTINGS.API_PORT.default)).toBe(config.API_PORT);
	});

	it("keeps secrets and local data out of the build context", () => {
		const ignored = readText(".dockerignore")
			.split("\n")
			.map(l => l.trim())
			.filter(l => l && !l.startsWith("#"));
		expect(ignored).toEqual(expect.arrayContaining([".env", "node_modules", "data", ".git"]));
	});
});
