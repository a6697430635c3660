/**
 * How hard the chaos experiments push. `quick` (the default, part of `npm test` and CI)
 * keeps each experiment to seconds; `full` (`npm run test:chaos`) is the load and
 * fault lengths, and its results table goes into bench/README.md.
 */
export interface ChaosProfile {
	name: "quick" | "full";
	/** New runs per second while an experiment's load runs. */
	runsPerSecond: number;
	/** How long each of a run's two slow steps takes (ms). */
	stepMs: number;
	/** Load before the fault is injected (ms). */
	warmupMs: number;
	/** Load after the fault is healed (ms). */
	cooldownMs: number;
	/** How long a node stays frozen (SIGSTOP), ms. */
	freezeMs: number;
	/** How long NATS, Redis and RabbitMQ stay down, ms. */
	outageMs: number;
	/** Whether the experiments that need a RabbitMQ node of their own (a minute to start) run. */
	rabbitmq: boolean;
	/** Whether the full-disk experiment mounts a small tmpfs (needs root). */
	realDisk: boolean;
}

const QUICK: ChaosProfile = {
	name: "quick",
	runsPerSecond: 4,
	stepMs: 1500,
	warmupMs: 3000,
	cooldownMs: 4000,
	freezeMs: 8000,
	outageMs: 4000,
	rabbitmq: false,
	realDisk: false
};

const FULL: ChaosProfile = {
	name: "full",
	runsPerSecond: 10,
	stepMs: 1500,
	warmupMs: 8000,
	cooldownMs: 15000,
	freezeMs: 30000,
	outageMs: 10000,
	rabbitmq: true,
	realDisk: true
};

export const PROFILE: ChaosProfile = process.env.CHAOS_PROFILE === "full" ? FULL : QUICK;
