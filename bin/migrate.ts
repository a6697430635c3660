/**
 * Applies pending database migrations and exits: `npm run migrate`. Safe to run from
 * several places at once (the migration lock), e.g. as a Kubernetes Job.
 */
import { MIGRATIONS } from "../migrations";
import { ConfigError, loadConfig } from "../lib/config";
import { migrate, openDatabase } from "../lib/db";

async function main(): Promise<void> {
	const config = loadConfig();
	const db = await openDatabase(config);
	try {
		const applied = await migrate(db, MIGRATIONS);
		process.stdout.write(applied.length ? `Applied: ${applied.join(", ")}\n` : "Database is up to date\n");
	} finally {
		await db.close();
	}
}

main().catch(err => {
	process.stderr.write(`${err instanceof ConfigError ? err.message : `Migration failed: ${(err as Error).message}`}\n`);
	process.exit(err instanceof ConfigError ? 78 : 1);
});
