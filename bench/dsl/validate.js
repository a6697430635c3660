/**
 * Validation time of a 1,000-step workflow definition (goal: under 50 ms).
 * Run with `npm run bench:dsl` (builds dist/ first; RUNS=n changes the number of runs).
 * Prints the first validation in the process (it compiles the params schemas), then
 * per case the median, p95 and max of RUNS runs after one warm-up run.
 */
const { performance } = require("node:perf_hooks");
const path = require("node:path");
const { checkWorkflow, parseWorkflow, parseWorkflowText, workflowToJson, workflowToYaml } = require(path.join(__dirname, "../../dist/lib/dsl"));

const STEPS = 1000;
const RUNS = Number(process.env.RUNS ?? 50);

/** A realistic mix: every type, dependencies on 1–3 earlier steps, templates reading ancestors, conditions. */
function mixedSteps() {
	const steps = [];
	for (let i = 0; i < STEPS; i++) {
		const deps = i === 0 ? [] : [...new Set([i - 1, Math.floor(i / 2), Math.floor(i / 3)])].filter(d => d < i).map(d => `step-${d}`);
		const parent = deps[0];
		const read = parent ? `\${{ steps.${parent}.output.body }}` : "${{ inputs.topic }}";
		const kinds = [
			{ type: "http_request", params: { method: "POST", url: `https://api.example.com/items/${i}?q=\${{ inputs.topic }}`, headers: { "X-Run": "${{ inputs.run_id }}" }, body: { from: read }, expected_status: [200, 201], timeout: "10s" } },
			{ type: "ai_generate", params: { prompt: `Summarize ${read} for \${{ inputs.audience }}`, temperature: 0.2, max_tokens: 400, json_schema: { type: "object", properties: { summary: { type: "string" } } } } },
			{ type: "transform", params: { expression: parent ? `$count(steps.\`${parent}\`.output.items[price > 10])` : "inputs.topic" } },
			{ type: "delay", params: { duration: "5s" } },
			{ type: "approval", params: { message: `Approve step ${i}?` } },
			{ type: "map", params: { items: parent ? `\${{ steps.${parent}.output.items }}` : "${{ inputs.items }}", concurrency: 4, step: { type: "http_request", params: { url: "https://api.example.com/item/${{ item.id }}", body: { n: "${{ index }}" } } } } }
		];
		steps.push({
			id: `step-${i}`,
			name: `Step ${i}`,
			...kinds[i % kinds.length],
			depends_on: deps,
			timeout: "2m",
			retry: 2,
			retry_delay: "5s",
			condition: i % 4 === 0 ? "${{ inputs.environment }} == 'prod' && ${{ inputs.run_tests }}" : undefined,
			approval_required: i % 50 === 0 ? "${{ inputs.environment }} == 'prod'" : undefined
		});
	}
	return steps;
}

/** The worst case for time: every step a transform, so JSONata parses 1,000 expressions. */
function transformSteps() {
	return Array.from({ length: STEPS }, (_, i) => ({
		id: `t${i}`,
		type: "transform",
		params: { expression: i ? `$sum(steps.t${i - 1}.output.values) + ${i}` : "inputs.topic" },
		depends_on: i ? [`t${i - 1}`] : []
	}));
}

/** A 1,000-step chain where every step reads the first one: the deepest ancestry question. */
function chainSteps() {
	return Array.from({ length: STEPS }, (_, i) => ({
		id: `c${i}`,
		type: "http_request",
		params: i ? { url: "https://api.example.com/${{ steps.c0.output.id }}", body: "${{ steps.c0.output }}" } : { url: "https://api.example.com/start" },
		depends_on: i ? [`c${i - 1}`] : []
	}));
}

function definition(steps) {
	return {
		workflow_id: "bench-1000",
		version: "1.0.0",
		name: "Benchmark",
		inputs: [
			{ name: "topic", type: "string", required: true },
			{ name: "audience", type: "string", default: "engineers" },
			{ name: "run_id", type: "string" },
			{ name: "items", type: "json" },
			{ name: "environment", type: "enum", values: ["dev", "staging", "prod"], default: "dev" },
			{ name: "run_tests", type: "boolean", default: true }
		],
		steps
	};
}

function measure(name, fn) {
	fn();
	const times = [];
	for (let i = 0; i < RUNS; i++) {
		const start = performance.now();
		fn();
		times.push(performance.now() - start);
	}
	times.sort((a, b) => a - b);
	const at = q => times[Math.min(times.length - 1, Math.floor(q * times.length))];
	const ms = x => x.toFixed(1).padStart(7);
	console.log(`${name.padEnd(44)} median ${ms(at(0.5))} ms   p95 ${ms(at(0.95))} ms   max ${ms(times[times.length - 1])} ms`);
}

const mixed = definition(mixedSteps());
const t0 = performance.now();
const { problems } = checkWorkflow(mixed);
console.log(`first validation in the process (compiles the params schemas): ${(performance.now() - t0).toFixed(1)} ms`);
for (const steps of [transformSteps(), chainSteps()]) {
	const more = checkWorkflow(definition(steps)).problems;
	if (more.length) throw new Error(`a benchmark definition is invalid: ${JSON.stringify(more.slice(0, 5))}`);
}
if (problems.length) throw new Error(`the benchmark definition is invalid: ${JSON.stringify(problems.slice(0, 5))}`);
const json = JSON.stringify(mixed);
const yaml = workflowToYaml(parseWorkflow(mixed));
console.log(`${STEPS} steps; mixed definition: JSON ${(json.length / 1024).toFixed(0)} KiB, YAML ${(yaml.length / 1024).toFixed(0)} KiB; ${RUNS} runs each after one warm-up; node ${process.version}`);

measure("mixed types: validate (parsed body)", () => parseWorkflow(mixed));
measure("mixed types: parse JSON text + validate", () => parseWorkflow(json, "application/json"));
measure("mixed types: parse YAML text + validate", () => parseWorkflow(yaml, "application/yaml"));
measure("mixed types: parse YAML text only", () => parseWorkflowText(yaml, "yaml"));
const transforms = definition(transformSteps());
measure("1,000 transforms: validate (parsed body)", () => parseWorkflow(transforms));
const chain = definition(chainSteps());
measure("1,000-step chain reading its first step", () => parseWorkflow(chain));
const model = parseWorkflow(mixed);
measure("mixed types: print JSON", () => workflowToJson(model));
measure("mixed types: print YAML", () => workflowToYaml(model));
