import { DataTypes } from "sequelize";
import type { Migration } from "../lib/db";

/** Users, their refresh-token families and API keys. */
export const usersAndCredentials: Migration = {
	name: "0001-users-and-credentials",
	async up({ queryInterface: q }) {
		await q.createTable("users", {
			id: { type: DataTypes.STRING(36), primaryKey: true },
			email: { type: DataTypes.STRING(320), allowNull: false },
			password_hash: { type: DataTypes.STRING(100), allowNull: false },
			full_name: { type: DataTypes.STRING(200), allowNull: true },
			roles: { type: DataTypes.TEXT, allowNull: false },
			is_active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
			created_at: { type: DataTypes.DATE, allowNull: false },
			updated_at: { type: DataTypes.DATE, allowNull: false }
		});
		await q.addIndex("users", ["email"], { unique: true, name: "users_email_unique" });

		await q.createTable("refresh_tokens", {
			jti: { type: DataTypes.STRING(36), primaryKey: true },
			family_id: { type: DataTypes.STRING(36), allowNull: false },
			user_id: { type: DataTypes.STRING(36), allowNull: false, references: { model: "users", key: "id" }, onDelete: "CASCADE" },
			expires_at: { type: DataTypes.DATE, allowNull: false },
			spent_at: { type: DataTypes.DATE, allowNull: true },
			revoked_at: { type: DataTypes.DATE, allowNull: true },
			created_at: { type: DataTypes.DATE, allowNull: false }
		});
		await q.addIndex("refresh_tokens", ["family_id"], { name: "refresh_tokens_family" });
		await q.addIndex("refresh_tokens", ["user_id"], { name: "refresh_tokens_user" });

		await q.createTable("api_keys", {
			id: { type: DataTypes.STRING(36), primaryKey: true },
			user_id: { type: DataTypes.STRING(36), allowNull: false, references: { model: "users", key: "id" }, onDelete: "CASCADE" },
			name: { type: DataTypes.STRING(100), allowNull: false },
			prefix: { type: DataTypes.STRING(16), allowNull: false },
			key_hash: { type: DataTypes.STRING(64), allowNull: false },
			scopes: { type: DataTypes.TEXT, allowNull: true },
			created_at: { type: DataTypes.DATE, allowNull: false },
			last_used_at: { type: DataTypes.DATE, allowNull: true },
			expires_at: { type: DataTypes.DATE, allowNull: true },
			revoked_at: { type: DataTypes.DATE, allowNull: true }
		});
		await q.addIndex("api_keys", ["prefix"], { unique: true, name: "api_keys_prefix_unique" });
		await q.addIndex("api_keys", ["user_id"], { name: "api_keys_user" });
	},
	async down({ queryInterface: q }) {
		await q.dropTable("api_keys");
		await q.dropTable("refresh_tokens");
		await q.dropTable("users");
	}
};
