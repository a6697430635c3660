import type { SqlRunner } from "../db/database";
import { StepFailure } from "../steps/failure";
import type { EngineStore } from "./store";

/** Bounds on what one request can make the engine run (lib/config.ts names each). */
export interface TreeLimits {
	/** EXECUTION_MAX_DEPTH: sub-workflow levels below a root. */
	maxDepth: number;
	/** EXECUTION_MAX_TREE_SIZE: executions one root may create in all. */
	maxTreeSize: number;
	/** EXECUTION_MAX_RUNNING_PER_USER: a user's root runs running at once; more wait as queued. */
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

/** Whether a new root run of `ownerId` must wait: the owner has `limit` runs running already. */
export async function mustQueue(store: EngineStore, tx: SqlRunner, ownerId: string, limit: number): Promise<boolean> {
	return (await store.runningRoots(tx, ownerId, limit)) >= limit;
}
