import type { Database } from "../db/database";

/**
 * Presence. Each execution node holds a database lock named after its lease owner for as
 * long as it lives (PostgreSQL: a session-level advisory lock on a connection of its own,
 * which the server drops the moment that connection closes; SQLite: held in the one process
 * that owns the data directory). A running lease whose owner holds no presence lock belongs
 * to a node that is gone, so the sweeper takes it back at once instead of waiting for it to
 * lapse. A frozen node keeps its connection, and with it its lock: its steps wait for their
 * leases as before.
 */
export const presenceLockName = (leaseOwner: string): string => `cognitionos:presence:${leaseOwner}`;

/** Of `owners`, those whose node is gone: nobody holds their presence lock. */
export async function departedOwners(db: Database, owners: readonly string[]): Promise<string[]> {
	if (!owners.length) return [];
	const unheld = await db.unheldLocks(owners.map(presenceLockName));
	return owners.filter(owner => unheld.has(presenceLockName(owner)));
}
