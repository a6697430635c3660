import type { QueryInterface, Sequelize } from "sequelize";
import { SequelizeStorage, Umzug } from "umzug";
import type { Database, Dialect } from "./database";

export interface MigrationContext {
	queryInterface: QueryInterface;
	sequelize: Sequelize;
	dialect: Dialect;
}

export interface Migration {
	name: string;
	up(ctx: MigrationContext): Promise<void>;
	down(ctx: MigrationContext): Promise<void>;
}

const MIGRATIONS_TABLE = "schema_migrations";

function umzugFor(db: Database, migrations: Migration[]): Umzug<MigrationContext> {
	const context: MigrationContext = { queryInterface: db.sequelize.getQueryInterface(), sequelize: db.sequelize, dialect: db.dialect };
	return new Umzug<MigrationContext>({
		migrations: migrations.map(m => ({ name: m.name, up: () => m.up(context), down: () => m.down(context) })),
		context,
		storage: new SequelizeStorage({ sequelize: db.sequelize, tableName: MIGRATIONS_TABLE }),
		logger: undefined
	});
}

/**
 * Applies pending migrations under a cluster-wide lock, so nodes that start together
 * migrate once. Returns the names applied by this call.
 */
export async function migrate(db: Database, migrations: Migration[]): Promise<string[]> {
	return db.withLock("cognitionos:migrate", async () => {
		const applied = await umzugFor(db, migrations).up();
		return applied.map(m => m.name);
	});
}

export async function pendingMigrations(db: Database, migrations: Migration[]): Promise<string[]> {
	return (await umzugFor(db, migrations).pending()).map(m => m.name);
}
