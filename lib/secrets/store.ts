/**
 * Secrets as rows: one per owner and name, the value encrypted (cipher.ts), never read back
 * through the API. Admins may keep shared ones (owner SHARED_OWNER) that every user's steps
 * can read; a user's own secret of the same name wins.
 */
import type { Database } from "../db/database";
import { SecretCipher } from "./cipher";

/** The owner of shared secrets. */
export const SHARED_OWNER = "*";

/** A secret's name: what `${{ secrets.NAME }}` reads. */
export const SECRET_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]{0,63}$";

export interface SecretInfo {
	name: string;
	shared: boolean;
	key_id: string;
	created_by: string | null;
	created_at: number;
	updated_at: number;
}

export class SecretStore {
	constructor(
		private readonly db: Database,
		/** Throws SecretsUnavailable when no key is configured. */
		private readonly cipher: () => SecretCipher,
		private readonly now: () => number = Date.now
	) {}

	/** Sets (or replaces) a secret; false when the owner already has `maxPerOwner` others. */
	async put(ownerId: string, name: string, value: string, createdBy: string, maxPerOwner: number): Promise<{ created: boolean } | null> {
		const stored = this.cipher().encrypt(value, associatedData(ownerId, name));
		const keyId = this.cipher().currentKeyId;
		const now = this.now();
		return this.db.sqlTransaction(async tx => {
			const [existing] = await tx.all("SELECT name FROM secrets WHERE owner_id = $1 AND name = $2", [ownerId, name]);
			if (existing) {
				await tx.run("UPDATE secrets SET value = $3, key_id = $4, created_by = $5, updated_at = $6 WHERE owner_id = $1 AND name = $2", [ownerId, name, stored, keyId, createdBy, now]);
				return { created: false };
			}
			const [count] = await tx.all<{ n: number }>("SELECT COUNT(*) AS n FROM secrets WHERE owner_id = $1", [ownerId]);
			if (Number(count.n) >= maxPerOwner) return null;
			await tx.run("INSERT INTO secrets (owner_id, name, value, key_id, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)", [ownerId, name, stored, keyId, createdBy, now]);
			return { created: true };
		});
	}

	async info(ownerId: string, name: string): Promise<SecretInfo | null> {
		const [row] = await this.db.sql.all<Record<string, unknown>>("SELECT owner_id, name, key_id, created_by, created_at, updated_at FROM secrets WHERE owner_id = $1 AND name = $2", [ownerId, name]);
		return row ? infoOf(row) : null;
	}

	/** The owner's secrets and the shared ones, by name (no values), at most `limit`. */
	async list(ownerId: string, limit: number): Promise<SecretInfo[]> {
		const rows = await this.db.sql.all<Record<string, unknown>>(
			"SELECT owner_id, name, key_id, created_by, created_at, updated_at FROM secrets WHERE owner_id = $1 OR owner_id = $2 ORDER BY name, owner_id LIMIT $3",
			[ownerId, SHARED_OWNER, limit]
		);
		return rows.map(infoOf);
	}

	async delete(ownerId: string, name: string): Promise<boolean> {
		return (await this.db.sqlTransaction(tx => tx.run("DELETE FROM secrets WHERE owner_id = $1 AND name = $2", [ownerId, name]))) > 0;
	}

	/** Which of `names` neither the owner nor the shared namespace has. */
	async missing(ownerId: string, names: readonly string[]): Promise<string[]> {
		if (!names.length) return [];
		const rows = await this.db.sql.all<{ name: string }>("SELECT name FROM secrets WHERE owner_id IN ($1, $2)", [ownerId, SHARED_OWNER]);
		const have = new Set(rows.map(r => r.name));
		return names.filter(n => !have.has(n));
	}

	/** The values of `names` for a run of `ownerId` (the owner's, else the shared one); names with neither are left out. */
	async values(ownerId: string, names: readonly string[]): Promise<Map<string, string>> {
		const out = new Map<string, string>();
		if (!names.length) return out;
		const placeholders = names.map((_, i) => `$${i + 3}`).join(", ");
		const rows = await this.db.sql.all<{ owner_id: string; name: string; value: string }>(
			`SELECT owner_id, name, value FROM secrets WHERE owner_id IN ($1, $2) AND name IN (${placeholders})`,
			[ownerId, SHARED_OWNER, ...names]
		);
		// The owner's own row wins over a shared one of the same name.
		rows.sort((a, b) => (a.owner_id === SHARED_OWNER ? 0 : 1) - (b.owner_id === SHARED_OWNER ? 0 : 1));
		for (const row of rows) out.set(row.name, this.cipher().decrypt(row.value, associatedData(row.owner_id, row.name)));
		return out;
	}
}

const associatedData = (ownerId: string, name: string): string => `cognitionos-secret:${ownerId}:${name}`;

function infoOf(row: Record<string, unknown>): SecretInfo {
	return {
		name: String(row.name),
		shared: row.owner_id === SHARED_OWNER,
		key_id: String(row.key_id),
		created_by: (row.created_by as string | null) ?? null,
		created_at: Number(row.created_at),
		updated_at: Number(row.updated_at)
	};
}
