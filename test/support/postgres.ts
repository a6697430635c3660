import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { TEST_POSTGRES_URL } from "./env";

/** A throw-away PostgreSQL database, so suites (and parallel workers) never see each other's rows. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
	const name = `cos_test_${process.pid}_${randomBytes(4).toString("hex")}`;
	const admin = new Client({ connectionString: TEST_POSTGRES_URL });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const url = new URL(TEST_POSTGRES_URL);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		async drop() {
			const c = new Client({ connectionString: TEST_POSTGRES_URL });
			await c.connect();
			await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await c.end();
		}
	};
}
