import { DataTypes, Model, type ModelStatic, type Sequelize } from "sequelize";
import type { Role, Scope } from "./principal";

export interface UserRow {
	id: string;
	email: string;
	password_hash: string;
	full_name: string | null;
	roles: Role[];
	is_active: boolean;
	created_at: Date;
	updated_at: Date;
}

export interface RefreshTokenRow {
	jti: string;
	family_id: string;
	user_id: string;
	expires_at: Date;
	spent_at: Date | null;
	revoked_at: Date | null;
	created_at: Date;
}

export interface ApiKeyRow {
	id: string;
	user_id: string;
	name: string;
	prefix: string;
	key_hash: string;
	scopes: Scope[] | null;
	created_at: Date;
	last_used_at: Date | null;
	expires_at: Date | null;
	revoked_at: Date | null;
}

export type UserModel = ModelStatic<Model<UserRow, Partial<UserRow>>>;
export type RefreshTokenModel = ModelStatic<Model<RefreshTokenRow, Partial<RefreshTokenRow>>>;
export type ApiKeyModel = ModelStatic<Model<ApiKeyRow, Partial<ApiKeyRow>>>;

/** A JSON array kept in a TEXT column (portable between SQLite and PostgreSQL). */
function jsonArray(field: string, allowNull = false) {
	return {
		type: DataTypes.TEXT,
		allowNull,
		get(this: Model) {
			const raw = this.getDataValue(field) as string | null;
			return raw === null || raw === undefined ? null : (JSON.parse(raw) as unknown[]);
		},
		set(this: Model, value: unknown[] | null) {
			this.setDataValue(field, value === null ? null : JSON.stringify(value));
		}
	};
}

const options = { underscored: true, createdAt: "created_at", updatedAt: "updated_at" } as const;

/** The auth tables (migration 0001), defined once per Sequelize instance. */
export function authModels(sequelize: Sequelize): { User: UserModel; RefreshToken: RefreshTokenModel; ApiKey: ApiKeyModel } {
	const existing = sequelize.models as Record<string, ModelStatic<Model>>;
	const User = (existing.User ??
		sequelize.define(
			"User",
			{
				id: { type: DataTypes.STRING(36), primaryKey: true },
				email: { type: DataTypes.STRING(320), allowNull: false },
				password_hash: { type: DataTypes.STRING(100), allowNull: false },
				full_name: { type: DataTypes.STRING(200), allowNull: true },
				roles: jsonArray("roles"),
				is_active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true }
			},
			{ ...options, tableName: "users" }
		)) as UserModel;
	const RefreshToken = (existing.RefreshToken ??
		sequelize.define(
			"RefreshToken",
			{
				jti: { type: DataTypes.STRING(36), primaryKey: true },
				family_id: { type: DataTypes.STRING(36), allowNull: false },
				user_id: { type: DataTypes.STRING(36), allowNull: false },
				expires_at: { type: DataTypes.DATE, allowNull: false },
				spent_at: { type: DataTypes.DATE, allowNull: true },
				revoked_at: { type: DataTypes.DATE, allowNull: true }
			},
			{ ...options, updatedAt: false, tableName: "refresh_tokens" }
		)) as RefreshTokenModel;
	const ApiKey = (existing.ApiKey ??
		sequelize.define(
			"ApiKey",
			{
				id: { type: DataTypes.STRING(36), primaryKey: true },
				user_id: { type: DataTypes.STRING(36), allowNull: false },
				name: { type: DataTypes.STRING(100), allowNull: false },
				prefix: { type: DataTypes.STRING(16), allowNull: false },
				key_hash: { type: DataTypes.STRING(64), allowNull: false },
				scopes: jsonArray("scopes", true),
				last_used_at: { type: DataTypes.DATE, allowNull: true },
				expires_at: { type: DataTypes.DATE, allowNull: true },
				revoked_at: { type: DataTypes.DATE, allowNull: true }
			},
			{ ...options, updatedAt: false, tableName: "api_keys" }
		)) as ApiKeyModel;
	return { User, RefreshToken, ApiKey };
}
