import { parse as parseYaml } from "yaml";
import { parseWorkflow, workflowToJson, workflowToYaml, type WorkflowDefinition } from "../../../../lib/dsl";

const definition: WorkflowDefinition = parseWorkflow(
	[
		"workflow:",
		'  id: "release-notes"',
		'  version: "1.2.0"',
		'  name: "Release notes"',
		"  status: draft",
		"  tags: [docs, llm]",
		'  schedule: "0 9 * * mon"',
		"  schedule_timezone: Europe/Berlin",
		"  budget: { max_tokens: 20000, max_cost_usd: 0.5 }",
		"  triggers:",
		"    - { event: repo.tagged, filter: '${{ event.data.prerelease }} == false' }",
		"  concurrency: { key: '${{ inputs.repo }}', limit: 1 }",
		"  rate_limit: { limit: 10, period: 1h }",
		"  debounce: { key: '${{ inputs.repo }}', period: 90s }",
		"  priority: 5",
		"  inputs:",
		"    - { name: repo, type: string, required: true }",
		"    - { name: tone, type: enum, values: [plain, upbeat], default: plain }",
		"  outputs:",
		'    - { name: notes, type: string, value: "${{ steps.write.output.text }}" }',
		"  steps:",
		"    - id: commits",
		"      type: http_request",
		"      params: { url: 'https://git.example.com/${{ inputs.repo }}/commits' }",
		"      timeout: 30s",
		"      retry: 3",
		"      retry_delay: 500ms",
		"    - id: write",
		"      name: Write the notes",
		"      type: ai_generate",
		"      depends_on: [commits]",
		"      params:",
		"        prompt: |",
		"          Write ${{ inputs.tone }} release notes for:",
		"          ${{ steps.commits.output.body }}",
		"      agent_role: writer",
		"      condition: ${{ steps.commits.output.status }} == 200",
		"      approval_required: true",
		"      approval_timeout: 2h"
	].join("\n"),
	"application/yaml"
);

describe("printing", () => {
	it("gives the API's JSON: every field present, durations as duration strings", () => {
		const json = workflowToJson(definition);
		expect(json).toEqual({
			workflow_id: "release-notes",
			version: "1.2.0",
			name: "Release notes",
			description: null,
			status: "draft",
			tags: ["docs", "llm"],
			schedule: "0 9 * * mon",
			schedule_timezone: "Europe/Berlin",
			budget: { max_tokens: 20000, max_cost_usd: 0.5 },
			triggers: [{ event: "repo.tagged", filter: "${{ event.data.prerelease }} == false" }],
			concurrency: { key: "${{ inputs.repo }}", limit: 1 },
			rate_limit: { key: null, limit: 10, period: "1h" },
			debounce: { key: "${{ inputs.repo }}", period: "90s" },
			priority: 5,
			inputs: [
				{ name: "repo", type: "string", required: true, default: null, values: null, description: null },
				{ name: "tone", type: "enum", required: false, default: "plain", values: ["plain", "upbeat"], description: null }
			],
			outputs: [{ name: "notes", type: "string", values: null, description: null, value: "${{ steps.write.output.text }}" }],
			steps: [
				{
					id: "commits",
					name: "commits",
					type: "http_request",
					params: { url: "https://git.example.com/${{ inputs.repo }}/commits" },
					depends_on: [],
					timeout: "30s",
					retry: 3,
					retry_delay: "500ms",
					condition: null,
					agent_role: null,
					approval_required: false,
					approval_timeout: null,
					agent_capability: null
				},
				{
					id: "write",
					name: "Write the notes",
					type: "ai_generate",
					params: { prompt: "Write ${{ inputs.tone }} release notes for:\n${{ steps.commits.output.body }}\n" },
					depends_on: ["commits"],
					timeout: null,
					retry: 0,
					retry_delay: "1s",
					condition: "${{ steps.commits.output.status }} == 200",
					agent_role: "writer",
					approval_required: true,
					approval_timeout: "2h",
					agent_capability: null
				}
			]
		});
	});

	it("gives JSON that does not share objects with the definition", () => {
		const json = workflowToJson(definition);
		json.steps[0].params.url = "changed";
		expect(definition.steps[0].params.url).toBe("https://git.example.com/${{ inputs.repo }}/commits");
	});

	it("gives the YAML DSL, leaving out fields at their default", () => {
		const yaml = workflowToYaml(definition);
		const document = parseYaml(yaml) as { workflow: Record<string, unknown> & { steps: Record<string, unknown>[] } };
		expect(Object.keys(document)).toEqual(["workflow"]);
		expect(document.workflow.id).toBe("release-notes");
		expect(document.workflow.rate_limit).toEqual({ limit: 10, period: "1h" });
		expect(document.workflow.debounce).toEqual({ key: "${{ inputs.repo }}", period: "90s" });
		expect(document.workflow.steps[0]).toEqual({
			id: "commits",
			name: "commits",
			type: "http_request",
			params: { url: "https://git.example.com/${{ inputs.repo }}/commits" },
			timeout: "30s",
			retry: 3,
			retry_delay: "500ms"
		});
		expect(yaml).toContain("        prompt: |\n          Write ${{ inputs.tone }} release notes for:\n");
	});

	it("re-imports both to the same model", () => {
		expect(parseWorkflow(JSON.stringify(workflowToJson(definition)), "application/json")).toStrictEqual(definition);
		expect(parseWorkflow(workflowToYaml(definition), "application/yaml")).toStrictEqual(definition);
	});

	it("writes a summary-style agent step back as ai_generate with its capability, and re-imports it unchanged", () => {
		const agent = parseWorkflow({
			workflow_id: "a",
			version: "1.0.0",
			steps: [{ step_id: "review", name: "Review", agent_capability: "code_review", inputs: { diff: "d" }, timeout_seconds: 90, retry_config: { max_retries: 1 } }]
		});
		const json = workflowToJson(agent);
		expect(json.steps[0]).toMatchObject({ id: "review", type: "ai_generate", agent_capability: "code_review", timeout: "90s", retry: 1 });
		expect(parseWorkflow(json)).toStrictEqual(agent);
		expect(parseWorkflow(workflowToYaml(agent), "application/yaml")).toStrictEqual(agent);
	});
});
