import { DataTypes } from "sequelize";
import type { Migration } from "../lib/db";

/**
 * Running AI in production (issue 21). `secrets`: one row per owner (or `*`, shared) and
 * name, the value encrypted with AES-256-GCM (lib/secrets/cipher.ts) and the id of the key
 * that encrypted it, so a rotation can tell which rows still use an old key.
 * `executions.forked_from`: the run a fork reused the outputs of.
 */
export const aiops: Migration = {
	name: "0010-aiops",
	async up({ queryInterface: q }) {
		await q.createTable("secrets", {
			owner_id: { type: DataTypes.STRING(36), primaryKey: true },
			name: { type: DataTypes.STRING(64), primaryKey: true },
			value: { type: DataTypes.TEXT, allowNull: false },
			key_id: { type: DataTypes.STRING(16), allowNull: false },
			created_by: { type: DataTypes.STRING(36), allowNull: true },
			created_at: { type: DataTypes.BIGINT, allowNull: false },
			updated_at: { type: DataTypes.BIGINT, allowNull: false }
		});
		await q.addColumn("executions", "forked_from", { type: DataTypes.STRING(36), allowNull: true });
	},
	async down({ queryInterface: q }) {
		await q.removeColumn("executions", "forked_from");
		await q.dropTable("secrets");
	}
};
