import { checkWorkflow, formatOf, parseWorkflow, parseWorkflowText, type WorkflowDefinition } from "../../../../lib/dsl";
import { DEPLOY_WEB_APP_YAML, problemAt, problemsOf, thrown, workflow } from "./definitions";

describe("the YAML DSL", () => {
	it("reads the deploy-web-app example into the model", () => {
		const { definition } = checkWorkflow(parseWorkflowText(DEPLOY_WEB_APP_YAML, "yaml"));
		const d = definition as WorkflowDefinition;
		expect(d.workflow_id).toBe("deploy-web-app");
		expect(d.version).toBe("1.0.0");
		expect(d.inputs).toEqual([
			{ name: "repo_url", type: "string", required: true, default: null, values: null, description: "Git repository URL to deploy" },
			{ name: "environment", type: "enum", required: false, default: "dev", values: ["dev", "staging", "prod"], description: "Target deployment environment" },
			{ name: "run_tests", type: "boolean", required: false, default: true, values: null, description: "Whether to run tests before deployment" }
		]);
		expect(d.outputs.map(o => [o.name, o.type, o.values])).toEqual([
			["deployment_url", "string", null],
			["deployment_status", "enum", ["success", "partial", "failed"]]
		]);
		expect(d.steps.map(s => s.id)).toEqual([
			"clone_repo",
			"install_dependencies",
			"run_tests",
			"build_docker",
			"push_image",
			"deploy_to_k8s",
			"health_check",
			"send_notification"
		]);
		const [clone, , tests, , , deploy, health] = d.steps;
		expect(clone).toEqual({
			id: "clone_repo",
			name: "Clone Repository",
			type: "git_clone",
			params: { url: "${{ inputs.repo_url }}", branch: "main" },
			depends_on: [],
			timeout: 120_000,
			retry: 2,
			retry_delay: 1000,
			condition: null,
			agent_role: "executor",
			approval_required: false,
			approval_timeout: null,
			agent_capability: null
		});
		expect(tests.condition).toBe("${{ inputs.run_tests }} == true");
		expect(deploy.approval_required).toBe("${{ inputs.environment }} == 'prod'");
		expect(health).toMatchObject({ type: "http_request", retry: 5, retry_delay: 10_000, timeout: 60_000, depends_on: ["deploy_to_k8s"] });
	});

	it("refuses the example, naming each unsupported step type and nothing else", () => {
		const err = thrown(() => parseWorkflow(DEPLOY_WEB_APP_YAML, "application/yaml"));
		expect(err.code).toBe(422);
		expect(err.message).toBe(
			"Invalid workflow definition: unsupported step types git_clone, execute_python, docker_build, docker_run, kubernetes_apply, send_slack"
		);
		const detail = err.data as { path: string; message: string }[];
		expect(detail.map(p => p.path)).toEqual(["steps[0].type", "steps[1].type", "steps[2].type", "steps[3].type", "steps[4].type", "steps[5].type", "steps[7].type"]);
		expect(detail[0].message).toMatch(/^unsupported step type "git_clone" \(supported: transform, http_request, ai_generate, delay, approval, sub_workflow, map, agent, wait_for_event\)$/);
	});

	it("accepts the example once its steps use the engine's types (its templates, conditions and durations are valid)", () => {
		const document = parseWorkflowText(DEPLOY_WEB_APP_YAML, "yaml") as { workflow: { steps: Record<string, unknown>[] } };
		for (const step of document.workflow.steps) {
			// An LLM step carrying the original params in its prompt keeps their templates under validation.
			if (step.type !== "http_request") Object.assign(step, { type: "ai_generate", params: { prompt: JSON.stringify(step.params) } });
		}
		const definition = parseWorkflow(document);
		expect(definition.steps.map(s => s.type)).toEqual([...Array(6).fill("ai_generate"), "http_request", "ai_generate"]);
	});

	it("names the line and column of malformed YAML", () => {
		const err = thrown(() => parseWorkflow("workflow:\n  id: x\n  steps: [a,\n b: 1\n", "application/yaml"));
		expect(err.code).toBe(400);
		expect(err.message).toMatch(/^Malformed YAML at line 4, column 2: /);
		expect(err.data).toEqual([expect.objectContaining({ path: "body", line: 4, column: 2 })]);
	});

	it("refuses duplicate keys in YAML with their line", () => {
		const err = thrown(() => parseWorkflow("workflow:\n  id: a\n  id: b\n", "application/yaml"));
		expect(err.message).toMatch(/^Malformed YAML at line 3, column 3: Map keys must be unique/);
	});

	it("reads YAML 1.2: yes, on and dates stay strings, an unquoted 1.0 version is a number and refused", () => {
		const problem = problemAt(parseWorkflowText("workflow:\n  id: x\n  version: 1.0\n  steps: []\n", "yaml"), "version");
		expect(problem.message).toBe('must be a string such as "1.0.0" (quote it in YAML)');
		expect(parseWorkflowText("a: yes\nb: on\nc: 2020-01-01\n", "yaml")).toEqual({ a: "yes", b: "on", c: "2020-01-01" });
	});

	it("refuses alias bombs", () => {
		const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
		for (let i = 1; i < 8; i++) levels.push(`${"b".repeat(i)}: &${"a".repeat(i + 1)} [${Array(9).fill(`*${"a".repeat(i)}`).join(", ")}]`);
		expect(thrown(() => parseWorkflow(levels.join("\n"), "application/yaml")).code).toBe(400);
	});
});

describe("the JSON format", () => {
	const summaryStyle = {
		workflow_id: "research",
		version: "2.1.0",
		name: "Research a topic",
		description: "Summary-style definition",
		tags: ["research", "llm"],
		schedule: "0 6 * * 1-5",
		steps: [
			{
				step_id: "fetch",
				name: "Fetch sources",
				type: "http_request",
				inputs: { url: "https://example.com/search?q=${{ inputs.topic }}" },
				depends_on: [],
				timeout_seconds: 30,
				retry_config: { max_retries: 3, delay_seconds: 2 }
			},
			{
				step_id: "summarize",
				name: "Summarize findings",
				agent_capability: "summarization",
				inputs: { sources: "${{ steps.fetch.output.body }}", style: { length: "short" } },
				depends_on: ["fetch"],
				timeout_seconds: 120,
				retry_config: { max_attempts: 2, delay: "500ms" }
			}
		],
		inputs: [{ name: "topic", type: "string", required: true }]
	};

	it("reads the summary's fields: step_id, inputs, timeout_seconds, retry_config", () => {
		const definition = parseWorkflow(JSON.stringify(summaryStyle), "application/json");
		expect(definition).toMatchObject({ workflow_id: "research", version: "2.1.0", tags: ["research", "llm"], schedule: "0 6 * * 1-5", status: "active" });
		expect(definition.steps[0]).toMatchObject({
			id: "fetch",
			type: "http_request",
			params: { url: "https://example.com/search?q=${{ inputs.topic }}" },
			timeout: 30_000,
			retry: 3,
			retry_delay: 2000
		});
	});

	it("turns an agent step (agent_capability, no type) into ai_generate with a prompt from its name, capability and inputs", () => {
		const step = parseWorkflow(summaryStyle).steps[1];
		expect(step).toMatchObject({ id: "summarize", type: "ai_generate", agent_capability: "summarization", retry: 1, retry_delay: 500, timeout: 120_000 });
		expect(step.params).toEqual({
			prompt: [
				"Task: Summarize findings",
				'Act as an agent with the capability "summarization".',
				"",
				"Inputs:",
				"- sources: ${{ steps.fetch.output.body }}",
				'- style: {"length":"short"}',
				"",
				"Respond with the result of the task only."
			].join("\n")
		});
	});

	it("reads the DSL's field names in JSON too", () => {
		const definition = parseWorkflow({
			workflow: {
				id: "dsl-in-json",
				version: "1.0.0",
				inputs: [{ name: "env", type: "enum", values: ["dev", "prod"], default: "dev" }],
				steps: [
					{ id: "wait", type: "delay", params: { duration: "5m" }, retry: 2, retry_delay: "10s", timeout: "1h" },
					{
						id: "ok",
						type: "approval",
						depends_on: ["wait"],
						condition: "${{inputs.env}} == 'prod'",
						agent_role: "reviewer",
						approval_required: true
					}
				]
			}
		});
		expect(definition.workflow_id).toBe("dsl-in-json");
		expect(definition.name).toBe("dsl-in-json");
		expect(definition.steps[0]).toMatchObject({ name: "wait", retry: 2, retry_delay: 10_000, timeout: 3_600_000 });
		expect(definition.steps[1]).toMatchObject({ condition: "${{inputs.env}} == 'prod'", agent_role: "reviewer", approval_required: true, params: {} });
	});

	it.each([
		[{ max_retries: 4 }, 4, 1000],
		[{ retries: 4, delay: "3s" }, 4, 3000],
		[{ max_attempts: 1 }, 0, 1000],
		[{ max_attempts: 5, initial_delay_seconds: 0.25 }, 4, 250],
		[{ retry_delay: 7 }, 0, 7000]
	])("reads retry_config %p", (retry_config, retry, retry_delay) => {
		const step = parseWorkflow(workflow([{ id: "a", type: "delay", params: { duration: 1 }, retry_config }])).steps[0];
		expect([step.retry, step.retry_delay]).toEqual([retry, retry_delay]);
	});

	it("refuses unknown and conflicting retry_config fields", () => {
		const doc = workflow([{ id: "a", type: "delay", params: { duration: 1 }, retry: 1, retry_config: { max_retries: 2, max_attempts: 3, backoff: 2 } }]);
		const paths = problemsOf(doc).map(p => p.path);
		expect(paths).toEqual(expect.arrayContaining(["steps[0].retry_config.max_attempts", "steps[0].retry_config.backoff", "steps[0].retry_config"]));
	});

	it("refuses fields given under two spellings, and fields of neither", () => {
		const doc = workflow([{ id: "a", step_id: "b", type: "delay", params: { duration: 1 }, inputs: {}, timeout: "1s", timeout_seconds: 1, depend_on: [] }]);
		expect(problemsOf(doc)).toEqual(
			expect.arrayContaining([
				{ path: "steps[0].step_id", message: "give either id or step_id, not both" },
				{ path: "steps[0].inputs", message: "give either params or inputs, not both" },
				{ path: "steps[0].timeout_seconds", message: "give either timeout or timeout_seconds, not both" },
				{ path: "steps[0].depend_on", message: "is not a field of a step" }
			])
		);
	});

	it("names problems in a summary-style step's params by the field the author used", () => {
		const doc = workflow([{ step_id: "a", type: "http_request", inputs: { method: "GET" } }]);
		expect(problemsOf(doc)).toEqual([{ path: "steps[0].inputs.url", message: "is required" }]);
	});

	it("names the line and column of malformed JSON", () => {
		const err = thrown(() => parseWorkflow('{\n  "workflow_id": "x",\n  "steps": [\n    {"id": "a",}\n  ]\n}', "application/json"));
		expect(err.code).toBe(400);
		expect(err.message).toMatch(/^Malformed JSON at line 4, column 16: /);
		expect(err.data).toEqual([expect.objectContaining({ path: "body", line: 4, column: 16 })]);
	});

	it("names the end of truncated JSON", () => {
		const err = thrown(() => parseWorkflow('{\n  "workflow_id": "x",\n', "application/json"));
		expect(err.message).toMatch(/^Malformed JSON at line 3, column 1: /);
	});

	it("takes a Buffer body and a body a parser already read", () => {
		const doc = workflow([{ id: "a", type: "delay", params: { duration: 1 } }]);
		expect(parseWorkflow(Buffer.from(JSON.stringify(doc)), "application/json; charset=utf-8").steps[0].id).toBe("a");
		expect(parseWorkflow(doc).steps[0].id).toBe("a");
	});
});

describe("content types", () => {
	it.each([
		["application/json", "json"],
		["application/vnd.cognitionos+json", "json"],
		["application/yaml", "yaml"],
		["text/yaml; charset=utf-8", "yaml"],
		["application/x-yaml", "yaml"],
		["text/x-yaml", "yaml"]
	])("%s is %s", (contentType, format) => expect(formatOf(contentType)).toBe(format));

	it("guesses from the text when none is given", () => {
		expect(formatOf(undefined, '  {"a": 1}')).toBe("json");
		expect(formatOf("", "workflow:\n  id: x")).toBe("yaml");
	});

	it("refuses others with 415", () => {
		expect(thrown(() => formatOf("text/plain")).code).toBe(415);
	});
});
