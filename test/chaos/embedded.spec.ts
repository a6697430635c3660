import { execFileSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { statfs } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import supertest from "supertest";
import { waitForRoute } from "../support/engine-harness";
import { AUTH_ENV, createUser, type TestUser } from "../support/factories";
import { startNodeProcess, type NodeProcess } from "../support/node-process";
import { freePort } from "../support/ports";
import { startTargetServer, type TargetServer } from "../support/target-server";
import { CHAOS_WORKFLOW, chaosWorkflow } from "./support/cluster";
import { Load } from "./support/load";
import { outcomeOf, sqliteLedger, when } from "./support/outcome";
import { PROFILE } from "./support/profile";

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** One embedded node (`npm start`) on `dataDir`, with the chaos workflow and a user. */
async function embedded(dataDir: string, target: TargetServer, extra: Record<string, string> = {}) {
	const port = await freePort();
	const env = { ...AUTH_ENV, DATA_DIR: dataDir, API_PORT: String(port), API_HOST: "127.0.0.1", STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1", ...extra };
	const start = () => startNodeProcess(env, 60_000);
	const node = await start();
	const http = supertest(node.url!);
	await waitForRoute(http, "post", "/api/v3/workflows/execute");
	const user: TestUser = await createUser(http, { tag: "chaos" });
	await http.post("/api/v3/workflows").set(user.auth).send(chaosWorkflow(target.url, PROFILE.stepMs)).expect(201);
	return { node, user, url: node.url!, start, ledger: sqliteLedger(path.join(dataDir, "cognitionos.sqlite")) };
}

describe(`an embedded node under faults (${PROFILE.name} profile)`, () => {
	let target: TargetServer;
	const nodes: NodeProcess[] = [];

	beforeAll(async () => {
		target = await startTargetServer();
	});
	afterAll(async () => {
		await Promise.all(nodes.map(n => n.kill()));
		await target?.close();
	});

	it("kill -9 under load: after a restart on the same data, every accepted run finishes once", async () => {
		const dataDir = mkdtempSync(path.join(tmpdir(), "cos-chaos-embedded-"));
		try {
			const e = await embedded(dataDir, target);
			nodes.push(e.node);
			const load = new Load(e.url, e.user.auth, CHAOS_WORKFLOW, PROFILE.runsPerSecond);
			load.start();
			await sleep(PROFILE.warmupMs);
			const killedAt = Date.now();
			await e.node.kill();
			const restarted = await e.start();
			nodes.push(restarted);
			const upAt = Date.now();
			await sleep(PROFILE.cooldownMs);
			await load.stop();
			const outcome = await outcomeOf("embedded kill -9", load, e.ledger, {
				calls: target.calls,
				recovery: async () => {
					const inFlight = load.accepted().filter(r => r.acceptedAt < killedAt).map(r => r.id);
					const last = await e.ledger.lastFinished(inFlight);
					return {
						ms: last?.at ? last.at - upAt : null,
						what: `last of the ${last?.finished ?? 0} runs accepted before the kill finished, after the restarted node was up (${upAt - killedAt} ms after the kill)`
					};
				}
			});
			expect({ lost: outcome.lost, stuck: outcome.stuck, wrong: outcome.wrong, duplicates: outcome.duplicates, undelivered: outcome.undelivered }).toEqual({
				lost: 0,
				stuck: 0,
				wrong: 0,
				duplicates: 0,
				undelivered: 0
			});
			await restarted.kill();
		} finally {
			rmSync(dataDir, { recursive: true, force: true });
		}
	}, 300_000);

	/**
	 * A real full disk: a small tmpfs of the test's own (mounting needs root, so this runs in
	 * the full profile only; CI checks the guard through a seam, test/integration/degraded.spec.ts).
	 */
	(PROFILE.realDisk && process.getuid?.() === 0 ? it : it.skip)(
		"disk full: new work refused with 507 before SQLite runs out, the WAL stays bounded, runs in flight finish once space returns",
		async () => {
			const volume = mkdtempSync(path.join(tmpdir(), "cos-chaos-disk-"));
			const MB = 1024 ** 2;
			execFileSync("mount", ["-t", "tmpfs", "-o", "size=96m", "tmpfs", volume]);
			const filler = path.join(volume, "filler");
			const freeOf = async () => {
				const s = await statfs(volume);
				return s.bavail * s.bsize;
			};
			/** Takes all but `leave` bytes of the volume. */
			const fill = async (leave: number) => {
				const fd = openSync(filler, "a");
				const chunk = Buffer.alloc(MB);
				try {
					while ((await freeOf()) > leave + MB) writeSync(fd, chunk);
					const rest = (await freeOf()) - leave;
					if (rest > 0) writeSync(fd, Buffer.alloc(rest));
				} catch {
					// ENOSPC: the volume is as full as it gets.
				} finally {
					closeSync(fd);
				}
			};
			try {
				const dataDir = path.join(volume, "data");
				mkdirSync(dataDir);
				const e = await embedded(dataDir, target, { DATA_DIR_MIN_FREE: "24mb" });
				nodes.push(e.node);
				const wal = path.join(dataDir, "cognitionos.sqlite-wal");
				let walMax = 0;
				const walWatch = setInterval(() => (walMax = Math.max(walMax, existsSync(wal) ? statSync(wal).size : 0)), 100);
				const health = async () => ((await (await fetch(`${e.url}/health`)).json()) as { disk: string }).disk;
				const load = new Load(e.url, e.user.auth, CHAOS_WORKFLOW, PROFILE.runsPerSecond);
				load.start();
				await sleep(PROFILE.warmupMs);
				// Under the limit: new work is refused, runs in flight go on.
				await fill(8 * MB);
				await when(async () => (await health()) === "low", "/health to report the disk low");
				const refused = await fetch(`${e.url}/api/v3/workflows/execute`, {
					method: "POST",
					headers: { ...e.user.auth, "content-type": "application/json" },
					body: JSON.stringify({ workflow_id: CHAOS_WORKFLOW, workflow_version: "1.0.0", inputs: { n: 0 } })
				});
				expect(refused.status).toBe(507);
				// Then entirely full: SQLite's own writes fail for a while.
				await fill(0);
				await sleep(PROFILE.outageMs);
				rmSync(filler);
				const freedAt = Date.now();
				await when(async () => (await health()) === "ok", "/health to report room again");
				await sleep(PROFILE.cooldownMs);
				await load.stop();
				clearInterval(walWatch);
				const outcome = await outcomeOf("embedded disk full", load, e.ledger, {
					calls: target.calls,
					recovery: async () => {
						const before = load.accepted().filter(r => r.acceptedAt < freedAt).map(r => r.id);
						const last = await e.ledger.lastFinished(before);
						return {
							ms: last?.at ? last.at - freedAt : null,
							what: `last of the ${last?.finished ?? 0} runs accepted before space returned finished, after it did (the WAL peaked at ${Math.round(walMax / 1024)} KB)`
						};
					}
				});
				expect({ lost: outcome.lost, stuck: outcome.stuck, wrong: outcome.wrong, duplicates: outcome.duplicates }).toEqual({ lost: 0, stuck: 0, wrong: 0, duplicates: 0 });
				// The WAL never ate into the reserve the guard keeps for it (it is bounded to a quarter of it).
				expect(walMax).toBeLessThan(24 * MB);
				await e.node.kill();
			} finally {
				execFileSync("umount", ["-l", volume]);
				rmSync(volume, { recursive: true, force: true });
			}
		},
		400_000
	);
});
