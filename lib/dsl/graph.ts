/**
 * The step graph: step i depends on each step in `dependsOn[i]` (indices). Cycles are
 * found by an iterative depth-first search (no recursion, so 1,000-step chains are
 * fine); ancestry is a bitset per step, built in topological order.
 */

/** Each cycle as step indices, `[a, b, c]` meaning a depends on b, b on c, c on a. Each distinct cycle once. */
export function findCycles(dependsOn: readonly (readonly number[])[]): number[][] {
	const n = dependsOn.length;
	// 0 = not visited, 1 = on the current path, 2 = finished.
	const state = new Uint8Array(n);
	const cycles: number[][] = [];
	const seen = new Set<string>();
	for (let root = 0; root < n; root++) {
		if (state[root]) continue;
		const path: number[] = [root];
		const next: number[] = [0];
		state[root] = 1;
		while (path.length) {
			const top = path.length - 1;
			const node = path[top];
			const deps = dependsOn[node];
			if (next[top] >= deps.length) {
				state[node] = 2;
				path.pop();
				next.pop();
				continue;
			}
			const dep = deps[next[top]++];
			if (state[dep] === 1) {
				const cycle = path.slice(path.lastIndexOf(dep));
				const key = canonical(cycle);
				if (!seen.has(key)) {
					seen.add(key);
					cycles.push(cycle);
				}
			} else if (state[dep] === 0) {
				state[dep] = 1;
				path.push(dep);
				next.push(0);
			}
		}
	}
	return cycles;
}

/** The same cycle read from any of its steps gives the same key. */
function canonical(cycle: readonly number[]): string {
	const start = cycle.indexOf(Math.min(...cycle));
	return [...cycle.slice(start), ...cycle.slice(0, start)].join(",");
}

/** Steps in an order where each comes after everything it depends on; null when there is a cycle. */
export function topologicalOrder(dependsOn: readonly (readonly number[])[]): number[] | null {
	const n = dependsOn.length;
	const waitingOn = new Int32Array(n);
	const dependents: number[][] = Array.from({ length: n }, () => []);
	dependsOn.forEach((deps, i) => {
		waitingOn[i] = deps.length;
		for (const d of deps) dependents[d].push(i);
	});
	const order: number[] = [];
	for (let i = 0; i < n; i++) if (waitingOn[i] === 0) order.push(i);
	for (let k = 0; k < order.length; k++) {
		for (const dependent of dependents[order[k]]) if (--waitingOn[dependent] === 0) order.push(dependent);
	}
	return order.length === n ? order : null;
}

/** Answers "does step `of` (transitively) depend on step `ancestor`?" for an acyclic graph. */
export class Ancestry {
	private readonly words: number;
	private readonly bits: Uint32Array;

	constructor(dependsOn: readonly (readonly number[])[], order: readonly number[]) {
		this.words = Math.ceil(dependsOn.length / 32);
		this.bits = new Uint32Array(dependsOn.length * this.words);
		for (const node of order) {
			const base = node * this.words;
			for (const dep of dependsOn[node]) {
				const depBase = dep * this.words;
				for (let w = 0; w < this.words; w++) this.bits[base + w] |= this.bits[depBase + w];
				this.bits[base + (dep >>> 5)] |= 1 << (dep & 31);
			}
		}
	}

	isAncestor(ancestor: number, of: number): boolean {
		return (this.bits[of * this.words + (ancestor >>> 5)] & (1 << (ancestor & 31))) !== 0;
	}
}
