import { QueryTypes, type Sequelize, type Transaction } from "sequelize";
import type { SqlRunner } from "./database";

/**
 * `$n` SQL inside a Sequelize transaction, for code whose state changes go through
 * Sequelize models (the auth service) and must write outbox events in the same transaction.
 */
export function sequelizeRunner(sequelize: Sequelize, transaction: Transaction): SqlRunner {
	return {
		async all<T>(sql: string, params: readonly unknown[] = []) {
			return (await sequelize.query(sql, { bind: [...params], transaction, type: QueryTypes.SELECT })) as T[];
		},
		async run(sql: string, params: readonly unknown[] = []) {
			const [, meta] = (await sequelize.query(sql, { bind: [...params], transaction })) as [unknown, { changes?: number; rowCount?: number } | number | undefined];
			if (typeof meta === "number") return meta;
			return meta?.changes ?? meta?.rowCount ?? 0;
		}
	};
}
