"use strict";
/**
 * The dashboard's weight and how soon it can be used, in Debian's Chromium (headless):
 *
 * - bundle size: each built file, raw and gzipped (what the gateway sends), and what the
 *   first visit loads (page, script, stylesheet; the YAML parser chunk only on upload);
 * - time to interactive: from navigation start to the moment a person can act, measured
 *   in the page (`performance.now()` when the thing appears, caught by a mutation
 *   observer), cold (new browser context, empty cache) and warm (same context, cached):
 *     sign-in   the sign-in form, focused, for a signed-out visitor;
 *     list      the workflows table with its rows, signed in (profile + list requests);
 *     run       a finished 20-step run with its graph coloured, signed in.
 *
 * Usage: npm run build && node bench/dashboard/run.js [rounds=15]
 */
const { readdirSync, readFileSync, statSync } = require("node:fs");
const path = require("node:path");
const { gzipSync } = require("node:zlib");
const { chromium } = require("playwright-core");
const { startServer, machine, api } = require("../lib/server");

const ROUNDS = Number(process.argv[2] ?? 15);
const DIR = path.resolve(__dirname, "../../dist/public/dashboard");
const ADMIN = { email: "bench@cognitionos.test", password: "bench-password-123" };
const STEPS = 20;

function sizes() {
	const rows = [];
	for (const name of readdirSync(DIR).sort()) {
		if (name.endsWith(".map")) continue;
		const body = readFileSync(path.join(DIR, name));
		rows.push({ name, raw: statSync(path.join(DIR, name)).size, gzip: gzipSync(body).length });
	}
	return rows;
}

const kb = n => `${(n / 1024).toFixed(1)} KiB`;
const quantile = (xs, q) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/**
 * Runs in each page before its scripts: a mutation observer notes, in `window.readyAt`,
 * the first `performance.now()` at which each scenario's content is there.
 */
function watchReady() {
	/* global document, window, MutationObserver */
	const checks = {
		"sign-in": () => document.activeElement?.getAttribute("name") === "email",
		list: () => document.querySelectorAll("tbody tr").length >= 20,
		run: () => document.querySelectorAll('.dag .node[data-status="completed"]').length === 20 && document.querySelectorAll("article.step").length === 20
	};
	const readyAt = (window.readyAt = {});
	const check = () => {
		for (const [name, ok] of Object.entries(checks)) if (readyAt[name] === undefined && ok()) readyAt[name] = performance.now();
	};
	new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
	// Focus moves without a mutation.
	document.addEventListener("focusin", check, true);
}

/** ms from navigation start until the scenario's content is there; without a URL, after a reload (warm cache). */
async function timeTo(page, url, name) {
	if (url) await page.goto(url, { waitUntil: "commit" });
	else await page.reload({ waitUntil: "commit" });
	const handle = await page.waitForFunction(n => window.readyAt?.[n], name, { timeout: 30_000 });
	return handle.jsonValue();
}

async function main() {
	const server = await startServer({
		SECURITY_SECRET_KEY: "bench-secret-key-that-is-long-enough-0123456789",
		SECURITY_ADMIN_EMAIL: ADMIN.email,
		SECURITY_ADMIN_PASSWORD: ADMIN.password,
		SECURITY_BCRYPT_ROUNDS: "4",
		DATA_DIR: require("node:fs").mkdtempSync(path.join(require("node:os").tmpdir(), "cos-bench-dash-"))
	});
	const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
	try {
		const tokens = await api(server.url, "POST", "/api/v3/auth/login", ADMIN);
		const steps = Array.from({ length: STEPS }, (_, i) => ({ id: `s${i}`, type: "transform", params: { expression: String(i) }, depends_on: i < 4 ? [] : [...new Set([`s${i - 4}`, `s${i - 4 + ((i + 1) % 4)}`])] }));
		for (let i = 0; i < 30; i++) await api(server.url, "POST", "/api/v3/workflows", { workflow_id: `bench-${i}`, version: "1.0.0", steps }, tokens.access_token);
		const run = await api(server.url, "POST", "/api/v3/workflows/execute", { workflow_id: "bench-0", workflow_version: "1.0.0", inputs: {} }, tokens.access_token);
		for (;;) {
			const e = await api(server.url, "GET", `/api/v3/workflows/executions/${run.execution_id}`, undefined, tokens.access_token);
			if (e.status === "completed") break;
			if (e.status === "failed") throw new Error(`bench run failed: ${JSON.stringify(e.error)}`);
			await new Promise(r => setTimeout(r, 50));
		}

		const scenarios = [
			{ name: "sign-in form", url: "/", signedIn: false, ready: "sign-in" },
			{ name: "workflows list", url: "/#/workflows", signedIn: true, ready: "list" },
			{ name: `finished ${STEPS}-step run`, url: `/#/executions/${run.execution_id}`, signedIn: true, ready: "run" }
		];
		const results = [];
		for (const s of scenarios) {
			const cold = [];
			const warm = [];
			for (let i = 0; i < ROUNDS; i++) {
				const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
				await context.addInitScript(watchReady);
				if (s.signedIn) {
					const pair = await api(server.url, "POST", "/api/v3/auth/login", ADMIN);
					await context.addInitScript(t => sessionStorage.setItem("cognitionos.tokens", t), JSON.stringify(pair));
				}
				const page = await context.newPage();
				cold.push(await timeTo(page, `${server.url}${s.url}`, s.ready));
				warm.push(await timeTo(page, null, s.ready));
				await context.close();
			}
			results.push({ name: s.name, cold, warm });
		}

		const files = sizes();
		const first = files.filter(f => ["index.html", "app.js", "app.css"].includes(f.name));
		const sum = (rows, k) => rows.reduce((n, r) => n + r[k], 0);
		console.log(`\n${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${machine()}, load average ${require("node:os").loadavg()[0].toFixed(1)}, ${ROUNDS} rounds\n`);
		console.log("| file | raw | gzip |\n|---|---|---|");
		for (const f of files) console.log(`| ${f.name} | ${kb(f.raw)} | ${kb(f.gzip)} |`);
		console.log(`| **first visit** (page, script, styles) | ${kb(sum(first, "raw"))} | ${kb(sum(first, "gzip"))} |`);
		console.log("\n| time to interactive | cold median | cold p90 | warm median | warm p90 |\n|---|---|---|---|---|");
		for (const r of results) console.log(`| ${r.name} | ${quantile(r.cold, 0.5).toFixed(0)} ms | ${quantile(r.cold, 0.9).toFixed(0)} ms | ${quantile(r.warm, 0.5).toFixed(0)} ms | ${quantile(r.warm, 0.9).toFixed(0)} ms |`);
	} finally {
		await browser.close();
		await server.stop();
	}
}

main().catch(err => {
	console.error(err);
	process.exitCode = 1;
});
