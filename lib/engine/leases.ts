import type { Dialect, SqlRunner } from "../db/database";
import type { StepRef } from "./types";

/**
 * Leases per attempt. A node renews the attempts it is running (its worker's slots), each
 * named by step and attempt number, not "everything that names me": an attempt whose
 * result failed to commit, or that the node let go of, is no longer renewed, so its lease
 * lapses and the sweeper gives the step to another node even while this node runs others.
 */

/** An attempt this node is running. */
export interface HeldAttempt extends StepRef {
	attempt: number;
}

/**
 * Extends the leases of `attempts`, one statement whatever their number (at most the
 * worker's concurrency). Returns those still held: an attempt missing from the answer
 * was taken from this node (its lease lapsed and the step was given to another).
 */
export async function renewAttemptLeases(tx: SqlRunner, dialect: Dialect, owner: string, attempts: readonly HeldAttempt[], until: number): Promise<StepRef[]> {
	if (attempts.length === 0) return [];
	const held =
		dialect === "postgres"
			? await tx.all<StepRef>(
					`UPDATE step_runs s SET lease_expires_at = $2
					FROM unnest($3::text[], $4::text[], $5::int[]) AS a(execution_id, step_id, attempt)
					WHERE s.execution_id = a.execution_id AND s.step_id = a.step_id AND s.attempts = a.attempt
					AND s.lease_owner = $1 AND s.status = 'running' AND s.waiting_for IS NULL
					RETURNING s.execution_id, s.step_id`,
					[owner, until, attempts.map(a => a.execution_id), attempts.map(a => a.step_id), attempts.map(a => a.attempt)]
				)
			: await tx.all<StepRef>(
					`UPDATE step_runs SET lease_expires_at = $2
					WHERE lease_owner = $1 AND status = 'running' AND waiting_for IS NULL
					AND (execution_id, step_id, attempts) IN (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each($3))
					RETURNING execution_id, step_id`,
					[owner, until, JSON.stringify(attempts.map(a => [a.execution_id, a.step_id, a.attempt]))]
				);
	return held.map(r => ({ execution_id: String(r.execution_id), step_id: String(r.step_id) }));
}

/**
 * Gives an attempt whose result could not be recorded back at once: the step is ready
 * again for any node, the lost attempt not counted but the loss counted as a recovery.
 * A step that has lost `maxRecoveries` attempts is not given back: its lease lapses and
 * the sweeper fails it, so a result that can never commit does not loop. False when the
 * attempt was not given back.
 */
export async function releaseAttempt(tx: SqlRunner, owner: string, attempt: HeldAttempt, now: number, maxRecoveries: number): Promise<boolean> {
	const changed = await tx.run(
		`UPDATE step_runs SET status = 'pending', ready_at = $3, lease_owner = NULL, lease_expires_at = NULL, attempts = attempts - 1, recoveries = recoveries + 1
		WHERE execution_id = $1 AND step_id = $2 AND status = 'running' AND waiting_for IS NULL AND lease_owner = $4 AND attempts = $5 AND recoveries < $6`,
		[attempt.execution_id, attempt.step_id, now, owner, attempt.attempt, maxRecoveries]
	);
	return changed === 1;
}
