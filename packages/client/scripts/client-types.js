#!/usr/bin/env node
"use strict";
/**
 * `npm run client:types`: starts the built server embedded (a temporary data directory,
 * a free port), reads its /openapi.json and writes src/generated/api.ts. With
 * `--from URL` it reads the document of a running server instead; with `--check` it
 * writes nothing and exits 1 when the committed file differs (the CI test runs that).
 */
const { spawn } = require("node:child_process");
const { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");
const { TYPES_FILE, typesFromDocument } = require("./openapi-types");

const ROOT = path.resolve(__dirname, "../../..");
// A cold start on a busy machine takes a few seconds; give up well after that (ms).
const START_TIMEOUT = 60_000;

async function fromServer() {
	const dataDir = mkdtempSync(path.join(tmpdir(), "cos-client-types-"));
	const proc = spawn(process.execPath, [path.join(ROOT, "dist/bin/cognitionos.js")], {
		cwd: ROOT,
		env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ENV_FILE: "/dev/null", API_PORT: "0", API_HOST: "127.0.0.1", DATA_DIR: dataDir, OBSERVABILITY_LOG_FORMAT: "json" },
		stdio: ["ignore", "pipe", "inherit"]
	});
	try {
		const port = await new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error("The server did not start in time")), START_TIMEOUT);
			let buffered = "";
			proc.stdout.on("data", chunk => {
				buffered += chunk.toString("utf8");
				const m = /"port":(\d+)[^\n]*API listening/.exec(buffered) ?? /API listening on port (\d+)/.exec(buffered);
				if (m) {
					clearTimeout(timer);
					resolve(Number(m[1]));
				}
			});
			proc.once("exit", code => reject(new Error(`The server exited with ${code} before it listened`)));
		});
		// The route table is built after the port opens: ready says when it is there.
		const until = Date.now() + START_TIMEOUT;
		while ((await fetch(`http://127.0.0.1:${port}/health/ready`)).status !== 200) {
			if (Date.now() > until) throw new Error("The server did not become ready in time");
			await new Promise(resolve => setTimeout(resolve, 100));
		}
		const res = await fetch(`http://127.0.0.1:${port}/openapi.json`);
		if (!res.ok) throw new Error(`GET /openapi.json answered ${res.status}`);
		return await res.json();
	} finally {
		proc.kill("SIGTERM");
		await new Promise(resolve => (proc.exitCode !== null ? resolve() : proc.once("exit", resolve)));
		rmSync(dataDir, { recursive: true, force: true });
	}
}

async function main() {
	const from = process.argv.indexOf("--from");
	const document = from > 0 ? await (await fetch(new URL("/openapi.json", process.argv[from + 1]))).json() : await fromServer();
	const text = await typesFromDocument(document);
	const file = path.relative(ROOT, TYPES_FILE);
	if (process.argv.includes("--check")) {
		let committed = "";
		try {
			committed = readFileSync(TYPES_FILE, "utf8");
		} catch {
			// missing: differs
		}
		if (committed === text) return process.stdout.write(`${file} matches the served OpenAPI document\n`);
		process.stderr.write(`${file} differs from the served /openapi.json (a route was added or changed): run \`npm run client:types\` and commit the result\n`);
		process.exitCode = 1;
		return;
	}
	mkdirSync(path.dirname(TYPES_FILE), { recursive: true });
	writeFileSync(TYPES_FILE, text);
	process.stdout.write(`Wrote ${file}\n`);
}

main().catch(err => {
	process.stderr.write(`client:types: ${err.message}\n`);
	process.exit(1);
});
