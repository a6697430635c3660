import fc from "fast-check";
import { LIMITS, type InputDeclaration, type OutputDeclaration, type StepDefinition, type WorkflowDefinition } from "../../../../lib/dsl";

/** Random workflows for the property tests: acyclic graphs of valid steps whose templates read ancestors. */

export interface Dag {
	ids: string[];
	/** dependsOn[i]: indices of the steps step i depends on, all below i. */
	dependsOn: number[][];
	/** Array position of each step: the definition lists steps in this shuffled order. */
	order: number[];
}

const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);

export const dag = (maxSteps = 25): fc.Arbitrary<Dag> =>
	fc.integer({ min: 1, max: maxSteps }).chain(n =>
		fc
			.tuple(
				fc.uniqueArray(id, { minLength: n, maxLength: n }),
				fc.array(fc.uniqueArray(fc.nat({ max: 1000 }), { maxLength: 4 }), { minLength: n, maxLength: n }),
				fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n })
			)
			.map(([ids, picks, order]) => ({
				ids,
				dependsOn: picks.map((p, i) => (i === 0 ? [] : [...new Set(p.map(x => x % i))])),
				order
			}))
	);

/** For each step, every step it depends on directly or transitively. */
export function ancestorsOf(dependsOn: readonly number[][]): Set<number>[] {
	const ancestors: Set<number>[] = [];
	dependsOn.forEach((deps, i) => {
		ancestors[i] = new Set(deps.flatMap(d => [d, ...ancestors[d]]));
	});
	return ancestors;
}

// Text that is not a template: "${{" would make it one.
const text = fc.string({ maxLength: 30, unit: "grapheme" }).filter(s => !s.includes("${{"));
const plainJson = fc
	.jsonValue({ maxDepth: 3 })
	// JSON has no -0, and a "${{" would be a template.
	.map(v => JSON.parse(JSON.stringify(v)) as unknown)
	.filter(v => !JSON.stringify(v).includes("${{") && !JSON.stringify(v).includes("__proto__"));
const durationMs = (max: number) => fc.integer({ min: 0, max });

function stepParams(readable: string[]): fc.Arbitrary<{ type: string; params: Record<string, unknown> }> {
	const reference = readable.length ? fc.constantFrom(...readable).map(r => `\${{ steps.${r}.output }}`) : fc.constant("(first step)");
	return fc.oneof(
		fc.record({ type: fc.constant("delay"), params: fc.record({ duration: fc.oneof(fc.constantFrom("500ms", "30s", "5m", "1h"), fc.nat({ max: 600 })) }) }),
		fc.record({
			type: fc.constant("http_request"),
			params: fc.record(
				{ url: text.map(t => `https://example.com/${encodeURIComponent(t)}`), method: fc.constantFrom("GET", "POST"), body: plainJson, expected_status: fc.integer({ min: 200, max: 299 }) },
				{ requiredKeys: ["url"] }
			)
		}),
		fc.record({
			type: fc.constant("ai_generate"),
			params: fc.record(
				{ prompt: fc.tuple(text, reference).map(([t, r]) => `${t} ${r}`), temperature: fc.double({ min: 0, max: 2, noNaN: true }).map(x => x + 0), stream: fc.boolean() },
				{ requiredKeys: ["prompt"] }
			)
		}),
		fc.record({ type: fc.constant("transform"), params: fc.record({ expression: fc.constantFrom("1 + 2", "$sum([1, 2])", "inputs") }) }),
		fc.record({ type: fc.constant("approval"), params: fc.record({ message: text }, { requiredKeys: [] }) })
	);
}

function step(stepId: string, deps: string[], readable: string[]): fc.Arbitrary<StepDefinition> {
	const condition = readable.length ? fc.constantFrom(...readable).map(r => `\${{ steps.${r}.output.ok }} == true`) : fc.constant("true");
	return fc.record({
		id: fc.constant(stepId),
		name: text,
		kind: stepParams(readable),
		depends_on: fc.constant(deps),
		timeout: fc.option(durationMs(LIMITS.maxTimeoutMs)),
		retry: fc.integer({ min: 0, max: LIMITS.maxRetries }),
		retry_delay: durationMs(LIMITS.maxRetryDelayMs),
		condition: fc.option(condition),
		agent_role: fc.option(fc.constantFrom("executor", "reviewer")),
		approval_required: fc.oneof(fc.boolean(), condition),
		approval_timeout: fc.option(durationMs(LIMITS.maxTimeoutMs)),
		agent_capability: fc.option(fc.constantFrom("summarization", "code_review"))
	}).map(({ kind, ...rest }) => {
		// An approval timeout is valid only on a step that waits for approval.
		const waits = rest.approval_required !== false || kind.type === "approval";
		return { ...rest, approval_timeout: waits ? rest.approval_timeout : null, type: kind.type, params: kind.params } as StepDefinition;
	});
}

const inputName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/);

function input(name: string): fc.Arbitrary<InputDeclaration> {
	const base = { name: fc.constant(name), required: fc.boolean(), description: fc.option(text) };
	const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map(x => x + 0);
	return fc.oneof(
		fc.record({ ...base, type: fc.constant("string" as const), default: fc.option(text), values: fc.constant(null) }),
		fc.record({ ...base, type: fc.constant("integer" as const), default: fc.option(fc.integer()), values: fc.constant(null) }),
		fc.record({ ...base, type: fc.constant("float" as const), default: fc.option(finite), values: fc.constant(null) }),
		fc.record({ ...base, type: fc.constant("boolean" as const), default: fc.option(fc.boolean()), values: fc.constant(null) }),
		fc.record({ ...base, type: fc.constant("json" as const), default: fc.option(plainJson.filter(v => v !== null)), values: fc.constant(null) }),
		fc.uniqueArray(text, { minLength: 1, maxLength: 4 }).chain(values =>
			fc.record({ ...base, type: fc.constant("enum" as const), values: fc.constant(values), default: fc.option(fc.constantFrom(...values)) })
		)
	);
}

function output(name: string, stepIds: string[]): fc.Arbitrary<OutputDeclaration> {
	return fc.record({
		name: fc.constant(name),
		type: fc.option(fc.constantFrom("string" as const, "json" as const)),
		values: fc.constant(null),
		description: fc.option(text),
		value: fc.option(fc.constantFrom(...stepIds).map(s => ({ result: `\${{ steps.${s}.output }}` })))
	});
}

/** A valid definition in the normalized model. */
export const definition: fc.Arbitrary<WorkflowDefinition> = dag(12).chain(({ ids, dependsOn, order }) => {
	const ancestors = ancestorsOf(dependsOn);
	const steps = order.map(i =>
		step(
			ids[i],
			dependsOn[i].map(d => ids[d]),
			[...ancestors[i]].map(a => ids[a])
		)
	);
	return fc.record({
		workflow_id: id,
		version: fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20), fc.option(fc.constantFrom("-beta.1", "-rc.2", "+build.7"))).map(([a, b, c, pre]) => `${a}.${b}.${c}${pre ?? ""}`),
		name: text,
		description: fc.option(text),
		status: fc.constantFrom("draft" as const, "active" as const),
		tags: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), { maxLength: 4 }),
		schedule: fc.option(fc.constantFrom("@daily", "*/5 * * * *", "0 6 * * mon-fri")),
		budget: fc.option(
			fc.record({ max_tokens: fc.integer({ min: 1, max: 1_000_000 }), max_cost_usd: fc.option(fc.double({ min: 0.01, max: 100, noNaN: true })) })
		),
		schedule_timezone: fc.option(fc.constantFrom("Europe/Berlin", "America/New_York", "UTC")),
		triggers: fc.array(fc.record({ event: fc.stringMatching(/^[a-z][a-z0-9._:/-]{0,20}$/), filter: fc.option(fc.constantFrom("${{ event.data.total }} > 100", "${{ event.name }} == 'x'")) }), { maxLength: 3 }),
		concurrency: fc.option(fc.record({ key: fc.option(fc.constantFrom("all", "tenant-a")), limit: fc.integer({ min: 1, max: 10_000 }) })),
		rate_limit: fc.option(fc.record({ key: fc.option(fc.constantFrom("all")), limit: fc.integer({ min: 1, max: 10_000 }), period: fc.integer({ min: 1, max: 86_400_000 }) })),
		debounce: fc.option(fc.record({ key: fc.option(fc.constantFrom("all")), period: fc.integer({ min: 1, max: 86_400_000 }) })),
		priority: fc.integer({ min: -100, max: 100 }),
		inputs: fc.uniqueArray(inputName, { maxLength: 4 }).chain(names => fc.tuple(...names.map(input))),
		outputs: fc.uniqueArray(inputName, { maxLength: 3 }).chain(names => fc.tuple(...names.map(n => output(n, ids)))),
		steps: fc.tuple(...steps)
	})
		// A time zone belongs to a schedule.
		.map(d => ({ ...d, schedule_timezone: d.schedule === null ? null : d.schedule_timezone }))
		.map(d => JSON.parse(JSON.stringify(d)) as WorkflowDefinition); // fast-check's records have no prototype; the model's objects are plain ones
});
