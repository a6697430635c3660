import { LIMITS, parseWorkflow } from "../../../../lib/dsl";
import { delayStep, problemAt, problemsOf, thrown, workflow } from "./definitions";

const transformStep = (id: string, expression: string, depends_on: string[] = []) => ({ id, type: "transform", params: { expression }, depends_on });
const aiStep = (id: string, prompt: string, depends_on: string[] = [], extra: Record<string, unknown> = {}) => ({
	id,
	type: "ai_generate",
	params: { prompt },
	depends_on,
	...extra
});

describe("validation", () => {
	it("accepts a valid definition and reports every problem of an invalid one at once", () => {
		expect(problemsOf(workflow([delayStep("a"), delayStep("b", ["a"])]))).toEqual([]);
		const problems = problemsOf(workflow([delayStep("a b"), delayStep("c", ["nope"]), { id: "d", type: "docker_run" }], { version: "1.0" }));
		expect(problems.map(p => p.path)).toEqual(["version", "steps[0].id", "steps[1].depends_on[0]", "steps[2].type"]);
	});

	it("throws validationFailed (422) with the problems as detail", () => {
		const err = thrown(() => parseWorkflow(workflow([delayStep("a", ["a"])])));
		expect(err.code).toBe(422);
		expect(err.type).toBe("validation_error");
		expect(err.message).toBe("Invalid workflow definition: steps[0].depends_on[0] a step cannot depend on itself");
		expect(err.data).toEqual([{ path: "steps[0].depends_on[0]", message: "a step cannot depend on itself" }]);
	});

	describe("workflow fields", () => {
		it("requires workflow_id, version and steps", () => {
			expect(problemsOf({ name: "x" })).toEqual([
				{ path: "workflow_id", message: "is required" },
				{ path: "version", message: 'is required: a semantic version such as "1.0.0"' },
				{ path: "steps", message: "is required: a list of at least one step" }
			]);
		});

		it.each(["1.0.0", "0.1.0", "10.20.30", "1.0.0-beta.1", "1.0.0+build.5", "2.0.0-rc.1+sha.abc"])("accepts version %s", version => {
			expect(problemsOf(workflow([delayStep("a")], { version }))).toEqual([]);
		});

		it.each(["1.0", "v1.0.0", "01.0.0", "1.0.0.0", "latest", "1.0.0-"])("refuses version %s", version => {
			expect(problemAt(workflow([delayStep("a")], { version }), "version").message).toBe(`"${version}" is not a semantic version such as "1.0.0"`);
		});

		it("refuses workflow ids with other characters", () => {
			expect(problemAt(workflow([delayStep("a")], { workflow_id: "my workflow" }), "workflow_id").message).toBe("may hold only letters, digits, _ and -");
		});

		it("needs at least one step", () => {
			expect(problemsOf(workflow([]))).toEqual([{ path: "steps", message: "needs at least one step" }]);
		});

		it("names a step that is not an object by its position, once", () => {
			expect(problemsOf(workflow(["fetch", delayStep("b")]))).toEqual([{ path: "steps[0]", message: "must be an object (a step)" }]);
		});

		it("checks the schedule as cron", () => {
			expect(problemsOf(workflow([delayStep("a")], { schedule: "*/15 9-17 * jan-jun mon-fri" }))).toEqual([]);
			expect(problemsOf(workflow([delayStep("a")], { schedule: "@daily" }))).toEqual([]);
			expect(problemAt(workflow([delayStep("a")], { schedule: "61 * * * *" }), "schedule").message).toBe('minute "61": "61" is not a value from 0 to 59');
			expect(problemAt(workflow([delayStep("a")], { schedule: "* * *" }), "schedule").message).toMatch(/needs 5 fields/);
		});

		it("takes status draft or active only", () => {
			expect(parseWorkflow(workflow([delayStep("a")], { status: "draft" })).status).toBe("draft");
			expect(parseWorkflow(workflow([delayStep("a")])).status).toBe("active");
			expect(problemAt(workflow([delayStep("a")], { status: "archived" }), "status").message).toMatch(/draft or active/);
		});

		it("reads a budget and refuses nonsense in it", () => {
			expect(parseWorkflow(workflow([delayStep("a")], { budget: { max_tokens: 5000, max_cost_usd: 0.5 } })).budget).toEqual({ max_tokens: 5000, max_cost_usd: 0.5 });
			const problems = problemsOf(workflow([delayStep("a")], { budget: { max_tokens: 1.5, max_cost_usd: -1, max_minutes: 3 } }));
			expect(problems.map(p => p.path)).toEqual(["budget.max_minutes", "budget.max_tokens", "budget.max_cost_usd"]);
		});

		it("refuses unknown top-level fields", () => {
			expect(problemAt(workflow([delayStep("a")], { stepz: [] }), "stepz").message).toBe("is not a field of a workflow");
		});
	});

	describe("step ids and dependencies", () => {
		it("requires unique ids of letters, digits, _ and -", () => {
			const problems = problemsOf(workflow([delayStep("fetch-data_2"), delayStep("fetch-data_2"), delayStep("bad.id"), { type: "delay", params: { duration: 1 } }]));
			expect(problems).toEqual([
				{ path: "steps[3].id", message: "is required" },
				{ path: "steps[1].id", message: '"fetch-data_2" is used by two steps (also steps[0])' },
				{ path: "steps[2].id", message: "may hold only letters, digits, _ and -" }
			]);
		});

		it("requires depends_on to name existing steps, once, other than the step itself", () => {
			const problems = problemsOf(workflow([delayStep("a"), delayStep("b", ["a", "a", "ghost", "b"])]));
			expect(problems).toEqual([
				{ path: "steps[1].depends_on[1]", message: '"a" is listed twice' },
				{ path: "steps[1].depends_on[2]", message: '"ghost" is not a step of this workflow' },
				{ path: "steps[1].depends_on[3]", message: "a step cannot depend on itself" }
			]);
		});

		it("refuses a cycle, spelling it out", () => {
			const problems = problemsOf(workflow([delayStep("a", ["c"]), delayStep("b", ["a"]), delayStep("c", ["b"]), delayStep("d", ["c"])]));
			expect(problems).toEqual([{ path: "steps[0].depends_on[0]", message: "dependency cycle: a → c → b → a" }]);
		});

		it("reports each distinct cycle", () => {
			const problems = problemsOf(workflow([delayStep("a", ["b"]), delayStep("b", ["a"]), delayStep("x", ["y"]), delayStep("y", ["x"])]));
			expect(problems.map(p => p.message)).toEqual(["dependency cycle: a → b → a", "dependency cycle: x → y → x"]);
		});
	});

	describe("step types and params", () => {
		it("names unsupported types and lists the supported ones", () => {
			expect(problemAt(workflow([{ id: "a", type: "execute_python", params: { script: "x" } }]), "steps[0].type").message).toBe(
				'unsupported step type "execute_python" (supported: transform, http_request, ai_generate, delay, approval, sub_workflow, map, agent, wait_for_event)'
			);
		});

		it("requires a type (or agent_capability)", () => {
			expect(problemAt(workflow([{ id: "a" }]), "steps[0].type").message).toBe("is required (or agent_capability, for an agent step)");
		});

		it("checks params by the type's schema, naming each field", () => {
			const problems = problemsOf(
				workflow([{ id: "call", type: "http_request", params: { method: "FETCH", expected_status: 700, headers: { "X-Count": { n: 1 } }, retries: 3 } }])
			);
			expect(problems).toEqual([
				{ path: "steps[0].params.url", message: "is required" },
				{ path: "steps[0].params.retries", message: "is not a field of http_request params (method, url, headers, body, expected_status, timeout)" },
				{ path: "steps[0].params.method", message: "must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, or a ${{ … }} template" },
				{ path: "steps[0].params.headers[\"X-Count\"]", message: "must be a header value (text, a number or a boolean)" },
				{ path: "steps[0].params.expected_status", message: "must be <= 599" }
			]);
		});

		it("requires params to be an object", () => {
			expect(problemAt(workflow([{ id: "a", type: "delay", params: [1] }]), "steps[0].params").message).toBe("must be an object");
		});

		it("refuses a transform whose JSONata does not compile", () => {
			expect(problemAt(workflow([transformStep("t", "inputs.x +")]), "steps[0].params.expression").message).toBe(
				"JSONata does not compile: Unexpected end of expression (at character 10)"
			);
		});

		it("checks the inputs and steps a transform's JSONata reads", () => {
			const doc = workflow([delayStep("a"), delayStep("b"), transformStep("t", "steps.a.output + steps.b.output + inputs.nope + $sum(items[x = inputs.other])", ["a"])], {
				inputs: [{ name: "x", type: "integer" }]
			});
			expect(problemsOf(doc).map(p => p.message)).toEqual([
				'steps.b.output: step "b" is not an ancestor of "t": add it to depends_on (directly or through another step)',
				'inputs.nope: "nope" is not a declared input (x)'
			]);
		});

		it("refuses templates in a transform's expression", () => {
			expect(problemAt(workflow([transformStep("t", "${{ inputs.x }}")]), "steps[0].params.expression").message).toMatch(/read as written, without templates/);
		});

		it("checks ai_generate's json_schema against the JSON Schema meta-schema", () => {
			const step = aiStep("a", "Say hi", [], { params: { prompt: "Say hi", json_schema: { type: "objekt" } } });
			expect(problemsOf(workflow([step])).map(p => p.path)).toEqual(["steps[0].params.json_schema.type"]);
		});

		it("refuses a sub_workflow that runs its own workflow", () => {
			const doc = workflow([{ id: "again", type: "sub_workflow", params: { workflow_id: "wf", version: "1.0.0" } }]);
			expect(problemAt(doc, "steps[0].params.workflow_id").message).toBe("a workflow cannot run itself");
		});

		it("checks a map's step template with its own type's schema; maps do not nest", () => {
			const doc = workflow([
				{ id: "each", type: "map", params: { items: [1, 2], step: { type: "http_request", params: { url: "ftp://x" } } } },
				{ id: "nested", type: "map", params: { items: [], step: { type: "map", params: {} } } },
				{ id: "unknown", type: "map", params: { items: [], step: { type: "send_slack" } } }
			]);
			expect(problemsOf(doc)).toEqual([
				{ path: "steps[0].params.step.params.url", message: "must be an http:// or https:// URL (templates allowed)" },
				{ path: "steps[1].params.step.type", message: "a map step cannot run inside another (maps do not nest)" },
				{ path: "steps[2].params.step.type", message: expect.stringMatching(/^unsupported step type "send_slack"/) }
			]);
		});
	});

	describe("templates", () => {
		const inputs = [{ name: "url", type: "string" }];

		it("accept declared inputs and ancestor steps, with or without inner spaces", () => {
			const doc = workflow(
				[
					{ id: "fetch", type: "http_request", params: { url: "${{inputs.url}}" } },
					delayStep("wait", ["fetch"]),
					aiStep("summarize", "Summarize ${{ steps.fetch.output.body.items[0] }} after ${{steps.wait.output}}", ["wait"])
				],
				{ inputs }
			);
			expect(problemsOf(doc)).toEqual([]);
		});

		it("refuse undeclared inputs", () => {
			const doc = workflow([aiStep("a", "Hello ${{ inputs.name }}")], { inputs });
			expect(problemsOf(doc)).toEqual([{ path: "steps[0].params.prompt", message: '${{ inputs.name }}: "name" is not a declared input (url)' }]);
		});

		it("accept any input when the workflow declares none", () => {
			expect(problemsOf(workflow([aiStep("a", "Hello ${{ inputs.name }}")]))).toEqual([]);
		});

		it("refuse steps that are not ancestors, unknown steps, the step itself, and paths not through output", () => {
			const doc = workflow([
				delayStep("a"),
				delayStep("b"),
				aiStep("c", "${{ steps.b.output }} ${{ steps.ghost.output }} ${{ steps.c.output }} ${{ steps.a.status }}", ["a"])
			]);
			expect(problemsOf(doc).map(p => p.message)).toEqual([
				'${{ steps.b.output }}: step "b" is not an ancestor of "c": add it to depends_on (directly or through another step)',
				'${{ steps.ghost.output }}: "ghost" is not a step of this workflow',
				"${{ steps.c.output }}: a step cannot read its own output",
				"${{ steps.a.status }}: a step is read through its output: steps.a.output"
			]);
		});

		it("accept transitive ancestors", () => {
			const doc = workflow([delayStep("a"), delayStep("b", ["a"]), delayStep("c", ["b"]), aiStep("d", "${{ steps.a.output }}", ["c"])]);
			expect(problemsOf(doc)).toEqual([]);
		});

		it("refuse malformed templates and unknown roots, deep inside params", () => {
			const doc = workflow([{ id: "call", type: "http_request", params: { url: "https://x", body: { list: ["${{ inputs.a + 1 }}", "${{ env.key }}", "${{ inputs.b"] } } }]);
			expect(problemsOf(doc)).toEqual([
				{ path: "steps[0].params.body.list[0]", message: "${{ inputs.a + 1 }} is not a template path: write ${{ inputs.NAME }} or ${{ steps.ID.output… }}" },
				{ path: "steps[0].params.body.list[1]", message: '${{ env.key }}: "env" is not something a template can read (inputs, steps, item, index, args, event, secrets)' },
				{ path: "steps[0].params.body.list[2]", message: "has a ${{ without its closing }}" }
			]);
		});

		it("allow item and index only inside a map's step template", () => {
			const doc = workflow([
				delayStep("list"),
				{
					id: "each",
					type: "map",
					depends_on: ["list"],
					params: {
						items: "${{ steps.list.output }}",
						step: { type: "http_request", name: "call ${{ index }}", params: { url: "https://x/${{ item.id }}", body: { n: "${{ index }}" } } }
					}
				},
				aiStep("after", "${{ item }}", ["each"])
			]);
			expect(problemsOf(doc)).toEqual([{ path: "steps[2].params.prompt", message: "${{ item }}: item exists only inside a map step's step template" }]);
		});

		it("accept templates where a schema wants a number, boolean, list or object", () => {
			const doc = workflow(
				[
					{
						id: "ask",
						type: "ai_generate",
						params: { prompt: "p", temperature: "${{ inputs.t }}", max_tokens: "${{inputs.n}}", stream: "${{ inputs.s }}" }
					},
					{ id: "call", type: "http_request", params: { url: "https://x", headers: "${{ inputs.h }}", expected_status: ["${{ inputs.code }}", 201] } },
					{ id: "each", type: "map", params: { items: "${{ inputs.list }}", concurrency: "${{ inputs.n }}", step: { type: "delay", params: { duration: "${{ item }}" } } } }
				],
				{}
			);
			expect(problemsOf(doc)).toEqual([]);
		});

		it("check output values: any step, declared inputs", () => {
			const doc = workflow([delayStep("a")], {
				inputs,
				outputs: [
					{ name: "ok", value: { url: "${{ steps.a.output }}", from: "${{ inputs.url }}" } },
					{ name: "bad", value: "${{ steps.zzz.output }}" }
				]
			});
			expect(problemsOf(doc)).toEqual([{ path: "outputs[1].value", message: '${{ steps.zzz.output }}: "zzz" is not a step of this workflow' }]);
		});
	});

	describe("conditions", () => {
		it("must parse", () => {
			const doc = workflow([delayStep("a", [], { condition: "${{ inputs.x }} ==" })]);
			expect(problemAt(doc, "steps[0].condition").message).toBe("does not parse: Unexpected end of expression: ${{ inputs.x }} ==");
		});

		it("must read data through templates, and call nothing", () => {
			expect(problemAt(workflow([delayStep("a", [], { condition: "inputs.x == 1" })]), "steps[0].condition").message).toBe(
				'reads "inputs": refer to data with a template such as ${{ inputs.inputs }}'
			);
			expect(problemAt(workflow([delayStep("a", [], { condition: "${{ inputs.x }}|lower == 'a'" })]), "steps[0].condition").message).toBe(
				'calls "lower": conditions have no functions or transforms'
			);
		});

		it("check their templates like params' templates", () => {
			const doc = workflow([delayStep("a"), delayStep("b", [], { condition: "${{ steps.a.output.ok }} == true", approval_required: "${{ inputs.env }} == 'prod'" })], {
				inputs: [{ name: "mode", type: "string" }]
			});
			expect(problemsOf(doc)).toEqual([
				{ path: "steps[1].condition", message: '${{ steps.a.output.ok }}: step "a" is not an ancestor of "b": add it to depends_on (directly or through another step)' },
				{ path: "steps[1].approval_required", message: '${{ inputs.env }}: "env" is not a declared input (mode)' }
			]);
		});
	});

	describe("durations and retries", () => {
		it.each([
			["500ms", 500],
			["30s", 30_000],
			["5m", 300_000],
			["1h", 3_600_000],
			[45, 45_000],
			["2.5", 2500]
		])("timeout %p is %d ms", (timeout, ms) => {
			expect(parseWorkflow(workflow([delayStep("a", [], { timeout })])).steps[0].timeout).toBe(ms);
		});

		it("refuses what is not a duration, and too long ones", () => {
			expect(problemAt(workflow([delayStep("a", [], { timeout: "5 minutes" })]), "steps[0].timeout").message).toBe(
				'must be a duration such as "500ms", "30s", "5m", "1h", or a number of seconds'
			);
			expect(problemAt(workflow([delayStep("a", [], { timeout: "31d" })]), "steps[0].timeout").message).toBe("must be at most 2592000 seconds");
			expect(problemAt(workflow([{ id: "a", type: "delay", params: { duration: "soon" } }]), "steps[0].params.duration").message).toMatch(/^must be a duration/);
		});

		it("takes an approval_timeout on a step that waits for approval, and refuses it elsewhere", () => {
			const gate = parseWorkflow(workflow([delayStep("a", [], { approval_required: true, approval_timeout: "90s" })]));
			expect(gate.steps[0].approval_timeout).toBe(90_000);
			const conditional = parseWorkflow(workflow([delayStep("a", [], { approval_required: "${{ inputs.env }} == 'prod'", approval_timeout: 30 })]));
			expect(conditional.steps[0].approval_timeout).toBe(30_000);
			expect(parseWorkflow(workflow([{ id: "a", type: "approval", approval_timeout: "1h" }])).steps[0].approval_timeout).toBe(3_600_000);
			expect(parseWorkflow(workflow([delayStep("a")])).steps[0].approval_timeout).toBeNull();
			expect(problemAt(workflow([delayStep("a", [], { approval_timeout: "1h" })]), "steps[0].approval_timeout").message).toBe(
				"applies only to a step that waits for approval (approval_required, type approval, or an agent's tools)"
			);
			expect(problemAt(workflow([delayStep("a", [], { approval_required: true, approval_timeout: "31d" })]), "steps[0].approval_timeout").message).toBe(
				"must be at most 2592000 seconds"
			);
			expect(problemAt(workflow([delayStep("a", [], { approval_required: true, approval_timeout: "later" })]), "steps[0].approval_timeout").message).toMatch(/^must be a duration/);
		});

		it("refuses negative or fractional retries", () => {
			expect(problemAt(workflow([delayStep("a", [], { retry: -1 })]), "steps[0].retry").message).toBe(`must be a whole number from 0 to ${LIMITS.maxRetries}`);
			expect(problemAt(workflow([delayStep("a", [], { retry: 1.5 })]), "steps[0].retry").message).toBe(`must be a whole number from 0 to ${LIMITS.maxRetries}`);
		});
	});

	describe("input declarations", () => {
		const withInputs = (inputs: unknown[]) => workflow([delayStep("a")], { inputs });

		it("accept the six types with defaults of their type (coerced when lossless)", () => {
			const definition = parseWorkflow(
				withInputs([
					{ name: "s", type: "string", default: "x" },
					{ name: "i", type: "integer", default: "5" },
					{ name: "f", type: "float", default: 0.5 },
					{ name: "b", type: "boolean", default: "false" },
					{ name: "e", type: "enum", values: ["a", "b"], default: "b" },
					{ name: "j", type: "json", default: { k: [1] } }
				])
			);
			expect(definition.inputs.map(i => i.default)).toEqual(["x", 5, 0.5, false, "b", { k: [1] }]);
		});

		it("refuse defaults of another type, enum defaults outside the values, and unknown types", () => {
			const problems = problemsOf(
				withInputs([
					{ name: "i", type: "integer", default: "five" },
					{ name: "e", type: "enum", values: ["a", "b"], default: "c" },
					{ name: "x", type: "number" },
					{ name: "b", type: "boolean", default: "yes" }
				])
			);
			expect(problems).toEqual([
				{ path: "inputs[2].type", message: '"number" is not an input type (one of string, integer, float, boolean, enum, json)' },
				{ path: "inputs[0].default", message: "must be an integer, as the input's type says" },
				{ path: "inputs[1].default", message: "must be one of a, b, as the input's type says" },
				{ path: "inputs[3].default", message: "must be a boolean (true or false), as the input's type says" }
			]);
		});

		it("refuse enums without values, values on other types, bad and duplicate names", () => {
			const problems = problemsOf(
				withInputs([
					{ name: "e", type: "enum" },
					{ name: "s", type: "string", values: ["a"] },
					{ name: "2fast", type: "string" },
					{ name: "s", type: "integer" },
					{ type: "string" }
				])
			);
			expect(problems).toEqual([
				{ path: "inputs[0].values", message: "an enum needs a list of at least one value" },
				{ path: "inputs[1].values", message: "is only for enum types" },
				{ path: "inputs[2].name", message: "must start with a letter or _ and hold only letters, digits and _" },
				{ path: "inputs[3].name", message: '"s" is declared twice (also inputs[1])' },
				{ path: "inputs[4].name", message: "is required" }
			]);
		});
	});

	describe("limits", () => {
		it(`takes ${LIMITS.maxSteps} steps and refuses one more`, () => {
			const steps = (n: number) => Array.from({ length: n }, (_, i) => delayStep(`s${i}`, i ? [`s${i - 1}`] : []));
			expect(problemsOf(workflow(steps(LIMITS.maxSteps)))).toEqual([]);
			expect(problemsOf(workflow(steps(LIMITS.maxSteps + 1)))).toEqual([{ path: "steps", message: "has 1001 steps; a workflow may have at most 1000" }]);
		});

		it("refuses definitions over 1 MiB", () => {
			const big = JSON.stringify(workflow([delayStep("a")], { description: "x".repeat(LIMITS.maxBytes) }));
			const err = thrown(() => parseWorkflow(big, "application/json"));
			expect(err.data).toEqual([{ path: "workflow", message: `is ${Buffer.byteLength(big)} bytes; a definition may be at most 1048576 bytes (1 MiB)` }]);
			expect(thrown(() => parseWorkflow(JSON.parse(big))).code).toBe(422);
		});

		it(`refuses nesting deeper than ${LIMITS.maxDepth} levels`, () => {
			let body: unknown = "bottom";
			for (let i = 0; i < 40; i++) body = { next: body };
			const problems = problemsOf(workflow([{ id: "a", type: "http_request", params: { url: "https://x", body } }]));
			expect(problems).toHaveLength(1);
			expect(problems[0].message).toBe(`nests deeper than ${LIMITS.maxDepth} levels`);
			expect(problems[0].path).toMatch(/^steps\[0\]\.params\.body\.next\.next/);
		});

		it("refuses deep nesting without overflowing the stack", () => {
			const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
			expect(thrown(() => parseWorkflow(`{"workflow_id": "x", "steps": ${deep}}`, "application/json")).code).toBe(422);
		});

		it("refuses numbers JSON cannot hold and __proto__ keys", () => {
			const problems = problemsOf(
				JSON.parse('{"workflow_id": "x", "version": "1.0.0", "steps": [{"id": "a", "type": "http_request", "params": {"url": "https://x", "body": {"__proto__": {"admin": true}}}}]}')
			);
			expect(problems).toEqual([{ path: "steps[0].params.body.__proto__", message: "is a reserved key" }]);
			const nan = problemsOf(workflow([{ id: "a", type: "http_request", params: { url: "https://x", body: { n: NaN } } }]));
			expect(nan).toEqual([{ path: "steps[0].params.body.n", message: "must be a finite number" }]);
		});
	});

	describe("triggers, flow control and the schedule's time zone", () => {
		const inputs = [{ name: "tenant", type: "string" }];
		it("accepts triggers, keys over declared inputs, periods and a time zone", () => {
			const doc = workflow([delayStep("a")], {
				inputs,
				schedule: "0 9 * * mon",
				schedule_timezone: "America/New_York",
				triggers: [{ event: "order.created", filter: "${{ event.data.total }} > 100" }, { event: "github/push" }],
				concurrency: { key: "tenant-${{ inputs.tenant }}", limit: 3 },
				rate_limit: { key: "${{ inputs.tenant }}", limit: 10, period: "1m" },
				debounce: { period: "5s" },
				priority: -3
			});
			expect(problemsOf(doc)).toEqual([]);
			const parsed = parseWorkflow(doc);
			expect(parsed.rate_limit).toEqual({ key: "${{ inputs.tenant }}", limit: 10, period: 60_000 });
			expect(parsed.debounce).toEqual({ key: null, period: 5000 });
		});

		it("names each wrong field: event names, filters that read more than the event, keys that read more than inputs, limits, periods, zones", () => {
			const problems = problemsOf(
				workflow([delayStep("a")], {
					inputs,
					schedule_timezone: "Mars/Olympus",
					triggers: [{ event: "has space" }, { event: "ok", filter: "${{ inputs.tenant }} == 'a'" }, { filter: "true" }, { event: "x", when: "y" }],
					concurrency: { key: "${{ inputs.nope }}", limit: 0 },
					rate_limit: { limit: 5, period: "forever" },
					debounce: { key: "${{ steps.a.output }}" },
					priority: 1000
				})
			);
			expect(problems.map(p => p.path).sort()).toEqual(
				[
					"concurrency.key",
					"concurrency.limit",
					"debounce.key",
					"debounce.period",
					"priority",
					"rate_limit.period",
					"schedule_timezone",
					"schedule_timezone",
					"triggers[0].event",
					"triggers[1].filter",
					"triggers[2].event",
					"triggers[3].when"
				].sort()
			);
		});

		it("takes event in a wait_for_event's match (with inputs and ancestors' outputs) and nowhere else", () => {
			const wait = (match: string, depends_on: string[] = []) => ({ id: "w", type: "wait_for_event", depends_on, params: { event: "paid", match } });
			expect(problemsOf(workflow([delayStep("a"), wait("${{ event.data.id }} == ${{ inputs.tenant }} && ${{ steps.a.output }} != null", ["a"])], { inputs }))).toEqual([]);
			expect(problemAt(workflow([delayStep("a"), wait("${{ event.data.id }} == ${{ steps.a.output }}")], { inputs }), "steps[1].params.match").message).toMatch(/not an ancestor/);
			expect(problemAt(workflow([transformStep("a", "1"), { ...delayStep("b"), condition: "${{ event.name }} == 'x'" }]), "steps[1].condition").message).toMatch(
				/event exists only in a trigger's filter and a wait_for_event step's match/
			);
			expect(problemAt(workflow([{ id: "w", type: "wait_for_event", params: { event: "x", since: "yesterday" } }]), "steps[0].params.since").message).toMatch(/wait_start, run_start/);
		});
	});
});
