import fc from "fast-check";
import { checkWorkflow, parseWorkflow, workflowToJson, workflowToYaml } from "../../../../lib/dsl";
import { ancestorsOf, dag, definition, type Dag } from "./arbitraries";

/** A JSON definition of delay steps shaped like the graph, listed in its shuffled order, each prompt reading an ancestor. */
function document({ ids, dependsOn, order }: Dag, extraDeps: Map<number, number[]> = new Map()) {
	const ancestors = ancestorsOf(dependsOn);
	return {
		workflow_id: "graph",
		version: "1.0.0",
		steps: order.map(i => {
			const reads = [...ancestors[i]].map(a => `\${{ steps.${ids[a]}.output }}`).join(" ");
			return {
				id: ids[i],
				type: "ai_generate",
				params: { prompt: `read ${reads}` },
				depends_on: [...dependsOn[i], ...(extraDeps.get(i) ?? [])].map(d => ids[d])
			};
		})
	};
}

/** Whether a graph given as edge lists has a cycle, by plain recursive search (the reference for the iterative one). */
function hasCycle(edges: number[][]): boolean {
	const state = edges.map(() => 0);
	const visit = (n: number): boolean => {
		if (state[n] === 1) return true;
		if (state[n] === 2) return false;
		state[n] = 1;
		const found = edges[n].some(visit);
		state[n] = 2;
		return found;
	};
	return edges.some((_, n) => visit(n));
}

const cycleMessages = (doc: unknown) => checkWorkflow(doc).problems.filter(p => p.message.startsWith("dependency cycle: "));

describe("properties", () => {
	it("random DAGs are accepted, with templates reading any ancestor", () => {
		fc.assert(
			fc.property(dag(), graph => {
				expect(checkWorkflow(document(graph)).problems).toEqual([]);
			}),
			{ numRuns: 300 }
		);
	});

	it("a DAG with one dependency added against its order has a cycle, and it is spelled as one", () => {
		const withBackEdge = dag()
			.filter(g => ancestorsOf(g.dependsOn).some(a => a.size > 0))
			.chain(g => {
				const ancestors = ancestorsOf(g.dependsOn);
				const descendants = [...ancestors.keys()].filter(i => ancestors[i].size > 0);
				return fc.constantFrom(...descendants).chain(u => fc.constantFrom(...ancestors[u]).map(a => ({ g, u, a })));
			});
		fc.assert(
			fc.property(withBackEdge, ({ g, u, a }) => {
				const doc = document(g, new Map([[a, [u]]]));
				const cycles = cycleMessages(doc);
				expect(cycles.length).toBeGreaterThan(0);
				for (const { message } of cycles) {
					const spelled = message.slice("dependency cycle: ".length).split(" → ");
					expect(spelled[0]).toBe(spelled[spelled.length - 1]);
					for (let k = 0; k + 1 < spelled.length; k++) {
						const from = doc.steps.find(s => s.id === spelled[k])!;
						expect(from.depends_on).toContain(spelled[k + 1]);
					}
				}
			}),
			{ numRuns: 300 }
		);
	});

	it("any random graph is refused for a cycle exactly when it has one", () => {
		const graph = fc.integer({ min: 1, max: 10 }).chain(n =>
			fc.array(fc.uniqueArray(fc.nat({ max: n - 1 }), { maxLength: 3 }), { minLength: n, maxLength: n }).map(raw => raw.map((deps, i) => deps.filter(d => d !== i)))
		);
		fc.assert(
			fc.property(graph, edges => {
				const doc = {
					workflow_id: "g",
					version: "1.0.0",
					steps: edges.map((deps, i) => ({ id: `s${i}`, type: "delay", params: { duration: 1 }, depends_on: deps.map(d => `s${d}`) }))
				};
				const problems = checkWorkflow(doc).problems;
				expect(cycleMessages(doc).length > 0).toBe(hasCycle(edges));
				if (!hasCycle(edges)) expect(problems).toEqual([]);
			}),
			{ numRuns: 500 }
		);
	});

	it("parse → print → parse is the identity for JSON", () => {
		fc.assert(
			fc.property(definition, d => {
				expect(parseWorkflow(workflowToJson(d))).toStrictEqual(d);
				const parsed = parseWorkflow(JSON.stringify(workflowToJson(d)), "application/json");
				expect(parsed).toStrictEqual(d);
				expect(parseWorkflow(JSON.stringify(workflowToJson(parsed)), "application/json")).toStrictEqual(parsed);
			}),
			{ numRuns: 200 }
		);
	});

	it("parse → print → parse is the identity for YAML", () => {
		fc.assert(
			fc.property(definition, d => {
				const parsed = parseWorkflow(workflowToYaml(d), "application/yaml");
				expect(parsed).toStrictEqual(d);
				expect(parseWorkflow(workflowToYaml(parsed), "application/yaml")).toStrictEqual(parsed);
			}),
			{ numRuns: 200 }
		);
	});
});
