import { Client } from "pg";
import { GroupAborted, type Database } from "../../lib/db/database";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPostgresDatabase } from "../../lib/db/postgres";
import { createSqliteDatabase } from "../../lib/db/sqlite";
import { EngineCore } from "../../lib/engine/core";
import type { EngineOptions } from "../../lib/engine/options";
import { available } from "../support/env";
import { createTestDatabase } from "../support/postgres";

/**
 * Group commit on PostgreSQL (lib/db/postgres.ts): grouped transactions that arrive while a
 * group runs share its transaction, and one that fails takes nothing of the others with it.
 */
(available("postgres") ? describe : describe.skip)("group commit (postgres)", () => {
	let db: Database;
	let url: string;
	let drop: () => Promise<void>;
	let table = 0;

	beforeAll(async () => {
		({ url, drop } = await createTestDatabase());
		db = await createPostgresDatabase({ url, poolMax: 10, statementTimeoutMs: 10_000 });
	});
	afterAll(async () => {
		await db?.close();
		await drop?.();
	});

	/** A fresh table of (id, the transaction that wrote it). */
	async function newTable(): Promise<string> {
		const name = `g${++table}`;
		await db.sqlTransaction(sql => sql.run(`CREATE TABLE ${name} (id int NOT NULL, txid bigint NOT NULL, v int NOT NULL DEFAULT 0)`));
		return name;
	}
	const rows = (name: string) => db.sql.all<{ id: number; txid: string }>(`SELECT id, txid::text AS txid FROM ${name} ORDER BY id`);
	const insert = (name: string, id: number) => (sql: Parameters<Parameters<Database["sqlTransaction"]>[0]>[0]) => sql.run(`INSERT INTO ${name} (id, txid) VALUES ($1, txid_current())`, [id]);
	/** Member `id` of a batch: inserts its row; the one numbered `failing` then throws. */
	const member = (name: string, id: number, failing: number) => async (sql: Parameters<Parameters<Database["sqlTransaction"]>[0]>[0]) => {
		await insert(name, id)(sql);
		if (id === failing) throw new Error("refused by the transition");
	};

	/** An engine core whose only use here is `tx` (the retry of a transaction rolled back with its group). */
	const core = () => new EngineCore({ db, transactionTimeoutMs: 10_000, random: () => 0 } as unknown as EngineOptions);

	it("commits the transactions that queued while a group ran in one transaction, every one of them once", async () => {
		const name = await newTable();
		await Promise.all(Array.from({ length: 50 }, (_, i) => db.sqlTransaction(insert(name, i), undefined, "execution-a")));
		const written = await rows(name);
		expect(written.map(r => r.id)).toEqual(Array.from({ length: 50 }, (_, i) => i));
		// Fewer transactions than members: they were committed in groups.
		expect(new Set(written.map(r => r.txid)).size).toBeLessThan(50);
	});

	it("gives a member that fails its own error and rolls back its batch-mates, who are told to run again alone", async () => {
		const name = await newTable();
		const outcomes = await Promise.allSettled(
			Array.from({ length: 10 }, (_, i) =>
				db.sqlTransaction(member(name, i, 5), undefined, "execution-b")
			)
		);
		const failed = outcomes[5];
		expect(failed.status === "rejected" && (failed.reason as Error).message).toBe("refused by the transition");
		const aborted = outcomes.flatMap((o, i) => (o.status === "rejected" && o.reason instanceof GroupAborted ? [i] : []));
		const committed = outcomes.flatMap((o, i) => (o.status === "fulfilled" ? [i] : []));
		// The members ahead of it in its group ran, and were rolled back with it.
		expect(aborted.length).toBeGreaterThan(0);
		expect([...aborted, 5, ...committed].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
		expect((await rows(name)).map(r => r.id)).toEqual(committed);
	});

	it("through the engine, runs the members rolled back for another's sake again, and keeps each once", async () => {
		const name = await newTable();
		const engine = core();
		const outcomes = await Promise.allSettled(
			Array.from({ length: 20 }, (_, i) =>
				engine.tx(member(name, i, 7), undefined, undefined, "execution-c")
			)
		);
		expect(outcomes.filter(o => o.status === "rejected").map(o => (o as PromiseRejectedResult).reason.message)).toEqual(["refused by the transition"]);
		expect((await rows(name)).map(r => r.id)).toEqual(Array.from({ length: 20 }, (_, i) => i).filter(i => i !== 7));
	});

	it("does not keep a group waiting on a row another session holds: the group gives up on it, and the others commit while that one waits alone", async () => {
		const name = await newTable();
		await db.sqlTransaction(sql => sql.run(`INSERT INTO ${name} (id, txid) VALUES (0, 0)`));
		const holder = new Client({ connectionString: url });
		await holder.connect();
		try {
			await holder.query("BEGIN");
			await holder.query(`SELECT * FROM ${name} WHERE id = 0 FOR UPDATE`);
			const engine = core();
			let blockedDone = false;
			const blocked = engine
				.tx(sql => sql.run(`UPDATE ${name} SET v = v + 1 WHERE id = 0`), undefined, undefined, "execution-d")
				.finally(() => (blockedDone = true));
			const others = Array.from({ length: 5 }, (_, i) => engine.tx(insert(name, i + 1), undefined, undefined, "execution-d"));
			// The others commit while the lock is still held: the group did not wait for it.
			await Promise.all(others);
			expect(blockedDone).toBe(false);
			expect((await rows(name)).map(r => r.id)).toEqual([0, 1, 2, 3, 4, 5]);
			await holder.query("COMMIT");
			await blocked;
			expect((await db.sql.all<{ v: number }>(`SELECT v FROM ${name} WHERE id = 0`))[0].v).toBe(1);
		} finally {
			await holder.end();
		}
	});

	it("answers every waiting member with the error when no connection can be had, and does not spin", async () => {
		const gone = await createPostgresDatabase({ url, poolMax: 1, statementTimeoutMs: 10_000 });
		await gone.close();
		const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => gone.sqlTransaction(sql => sql.run("SELECT 1"), undefined, "execution-e")));
		expect(outcomes.every(o => o.status === "rejected")).toBe(true);
	});
});

/**
 * Group commit on SQLite (lib/db/sqlite.ts): transitions of several runs that arrive in one
 * turn of the event loop share a commit; the transitions of one run alone commit at once.
 */
describe("group commit (sqlite)", () => {
	let db: Database;
	let dir: string;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "cos-group-"));
		db = await createSqliteDatabase({ url: "", storage: path.join(dir, "db.sqlite"), poolMax: 1, statementTimeoutMs: 10_000 });
	});
	afterAll(async () => {
		await db?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	/**
	 * One transaction per key, each asked for from its own callback of one turn of the event
	 * loop (as the answers of steps that arrive together are); each member records how many
	 * rows were committed when it ran, as a reader outside its transaction sees them.
	 */
	async function oneTurn(table: string, keys: string[]): Promise<number[]> {
		await db.sqlTransaction(sql => sql.run(`CREATE TABLE ${table} (id int NOT NULL, seen int NOT NULL)`));
		const asked: Promise<unknown>[] = [];
		await new Promise<void>(resolve => {
			keys.forEach((key, id) =>
				setImmediate(() =>
					asked.push(
						db.sqlTransaction(
							async sql => {
								const [{ n }] = await db.sql.all<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
								await sql.run(`INSERT INTO ${table} (id, seen) VALUES ($1, $2)`, [id, n]);
							},
							undefined,
							key
						)
					)
				)
			);
			setImmediate(resolve);
		});
		await Promise.all(asked);
		return (await db.sql.all<{ seen: number }>(`SELECT seen FROM ${table} ORDER BY id`)).map(r => r.seen);
	}

	/**
	 * Transactions of one group asked for one after another from a single callback (a run's
	 * steps that follow each other), the first from its synchronous part or from a promise job
	 * of it. Returns what each saw committed, and how many turns of the event loop each waited.
	 */
	async function oneCallback(table: string, group: string, count: number, start: "sync" | "promise job"): Promise<{ seen: number[]; hops: number[] }> {
		await db.sqlTransaction(sql => sql.run(`CREATE TABLE ${table} (id int NOT NULL, seen int NOT NULL)`));
		let turns = 0;
		let spinning = true;
		const spin = () => setImmediate(() => (turns++, spinning && spin()));
		spin();
		const hops: number[] = [];
		const chain = async () => {
			for (let id = 0; id < count; id++) {
				const before = turns;
				await db.sqlTransaction(
					async sql => {
						const [{ n }] = await db.sql.all<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
						await sql.run(`INSERT INTO ${table} (id, seen) VALUES ($1, $2)`, [id, n]);
					},
					undefined,
					group
				);
				hops.push(turns - before);
			}
		};
		try {
			await new Promise<void>((resolve, reject) => setImmediate(() => void (start === "sync" ? chain() : Promise.resolve().then(chain)).then(resolve, reject)));
		} finally {
			spinning = false;
		}
		const seen = (await db.sql.all<{ seen: number }>(`SELECT seen FROM ${table} ORDER BY id`)).map(r => r.seen);
		return { seen, hops };
	}

	it("commits the transitions of one run that follow each other in one callback at once, each seeing the one before committed", async () => {
		for (const start of ["sync", "promise job"] as const) {
			expect(await oneCallback(`one_chain_${start === "sync" ? "sync" : "job"}`, "a", 4, start)).toEqual({ seen: [0, 1, 2, 3], hops: [0, 0, 0, 0] });
		}
	});

	it("commits the transitions of several runs in one turn together, once a second run has asked", async () => {
		// The first commits at once; the second run's, and all after it in that turn, share one commit.
		expect(await oneTurn("many_runs", ["a", "b", "c", "d"])).toEqual([0, 1, 1, 1]);
	});

	it("commits one run's transitions asked for from several callbacks of one turn together (the answers of its parallel steps)", async () => {
		expect(await oneTurn("many_steps", ["a", "a", "a", "a"])).toEqual([0, 1, 1, 1]);
	});
});
