import { backoffDelay, jittered, type BackoffPolicy } from "../backoff";
import { isDatabaseUnavailable, isDiskFull } from "../dependency-errors";
import type { EngineCore } from "./core";

/**
 * How long an attempt's result is kept in memory and its commit tried again while the
 * database cannot serve (ms): a PostgreSQL restart or failover takes seconds. Past it the
 * worker gives the attempt back and the step runs again.
 */
export const RESULT_RETRY_WINDOW_MS = 15_000;
/** Tries of a result's commit: quickly at first (a connection that broke), then once a second. */
const RESULT_RETRY: BackoffPolicy = { maxAttempts: Infinity, minDelay: 100, maxDelay: 1000, multiplier: 2 };

/**
 * Records an attempt's result (`record` is its whole transition, aftermath included, so
 * a try that failed leaves nothing behind), trying again while the database is down,
 * restarting, timing out or out of disk, instead of losing work that is done. Any other error, or the
 * window running out, is the caller's: it gives the attempt back.
 */
export async function recordDurably<T>(core: EngineCore, record: () => Promise<T>): Promise<T> {
	const until = core.now() + RESULT_RETRY_WINDOW_MS;
	for (let attempt = 1; ; attempt++) {
		try {
			return await record();
		} catch (err) {
			if (!(isDatabaseUnavailable(err) || isDiskFull(err)) || core.now() >= until) throw err;
			if (attempt === 1) core.log.warn({ err }, "Recording a step's result failed: the database is unavailable or its disk full; trying again");
			await new Promise(r => setTimeout(r, jittered(backoffDelay(RESULT_RETRY, attempt)!, core.random)));
		}
	}
}
