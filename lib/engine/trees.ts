import type { SqlRunner } from "../db/database";
import { StepFailure } from "../steps/failure";
import type { EngineStore } from "./store";
import type { FlowKey } from "./types";

/** Bounds on what one request can make the engine run (lib/config.ts names each). */
export interface TreeLimits {
	/** EXECUTION_MAX_DEPTH: sub-workflow levels below a root. */
	maxDepth: number;
	/** EXECUTION_MAX_TREE_SIZE: executions one root may create in all. */
	maxTreeSize: number;
	/** EXECUTION_MAX_RUNNING_PER_USER: a user's root runs running at once; more wait as queued (a `running` flow key). */
	maxRunningPerUser: number;
}

/**
 * Where a sub-workflow of `parentId` sits in its tree: its root and depth. Counts it on
 * the root (locking the root's row) or refuses it with a final StepFailure, which fails
 * the parent's step: two workflows calling each other end there, not in an explosion.
 */
export async function placeInTree(store: EngineStore, tx: SqlRunner, parentId: string, limits: TreeLimits): Promise<{ root_execution_id: string; depth: number }> {
	const parent = await store.execution(parentId, tx);
	if (!parent) throw new StepFailure(`Execution ${parentId} is gone`, "execution_missing", true);
	const depth = parent.depth + 1;
	if (depth > limits.maxDepth) throw new StepFailure(`Sub-workflows nest deeper than ${limits.maxDepth} levels (EXECUTION_MAX_DEPTH)`, "sub_workflow_depth", true);
	const root = parent.root_execution_id ?? parent.id;
	if (!(await store.growTree(tx, root, limits.maxTreeSize)))
		throw new StepFailure(`The run ${root} has already created ${limits.maxTreeSize} executions in its tree (EXECUTION_MAX_TREE_SIZE)`, "execution_tree_limit", true);
	return { root_execution_id: root, depth };
}

/**
 * The per-user cap as a flow-control key (`running`, ./transitions/admission.ts): a root
 * run takes it only when its owner is at the cap, or has runs waiting on it already (they
 * come first); the key then queues it like any key, and its room is the owner's running
 * root runs (not rows held on it). Below the cap, one count of an index, and no key.
 * Null: the run may start as far as this cap goes.
 */
export async function runningCapKey(store: EngineStore, tx: SqlRunner, ownerId: string, limit: number): Promise<FlowKey | null> {
	const key = runningKeyOf(ownerId);
	const { running, waiting } = await store.runningAdmission(tx, ownerId, limit, key);
	return running >= limit || waiting ? { kind: "running", key, limit, period: null } : null;
}

/** The flow key of a user's running cap; the owner is what follows the prefix. */
export const RUNNING_KEY_PREFIX = "running/";
export const runningKeyOf = (ownerId: string) => `${RUNNING_KEY_PREFIX}${ownerId}`;
