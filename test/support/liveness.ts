/**
 * Asks a node's `/health/live` the way a Kubernetes liveness probe does (timeoutSeconds 1)
 * until stopped, and keeps every probe that was not answered 200 within that second: a
 * node whose event loop is held by user work fails exactly here. A node running in this
 * process shares the test's event loop, where a held loop would also hold the probe's own
 * timer: a ticking timer catches that case (a gap of a second between ticks is a failure).
 */
export interface LivenessWatch {
	/** Stops probing; resolves with the probes made and the ones that failed. */
	stop(): Promise<{ probes: number; failures: string[] }>;
}

/** A liveness probe's timeout (ms): a probe not answered within it has failed. */
export const PROBE_TIMEOUT_MS = 1000;

export function watchLiveness(urls: string[], intervalMs = 100): LivenessWatch {
	let running = true;
	let probes = 0;
	const failures: string[] = [];
	let lastTick = performance.now();
	const ticker = setInterval(() => {
		const now = performance.now();
		if (now - lastTick > PROBE_TIMEOUT_MS) failures.push(`this process's event loop was held for ${Math.round(now - lastTick)} ms`);
		lastTick = now;
	}, 20);
	const loop = (async () => {
		while (running) {
			await Promise.all(
				urls.map(async url => {
					probes++;
					try {
						const res = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
						await res.arrayBuffer();
						if (res.status !== 200) failures.push(`${url}: ${res.status}`);
					} catch (err) {
						failures.push(`${url}: ${(err as Error).name} ${(err as Error).message}`);
					}
				})
			);
			await new Promise(r => setTimeout(r, intervalMs));
		}
	})();
	return {
		async stop() {
			running = false;
			await loop;
			clearInterval(ticker);
			return { probes, failures };
		}
	};
}
