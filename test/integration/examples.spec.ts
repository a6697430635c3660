/**
 * Every workflow file in examples/ is pushed with the CLI (`cognitionos push FILE`) to a
 * fresh server with the default configuration and run to its end. Each file has a
 * sibling `NAME.expect.json` (see examples/README.md): the run's inputs, the approvals
 * it needs, and the status, outputs and step statuses it must end with. A new example is
 * picked up without touching this test.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { CognitionOS, type Execution } from "@cognitionos/client";
import { startTestNode, type TestNode } from "../support/broker";
import { cliEnv, freshConfigHome, runCli } from "../support/cli";
import { startTargetServer, type TargetServer } from "../support/target-server";

const EXAMPLES = path.resolve(__dirname, "../../examples");
const PASSWORD = "example-password-1";

interface Expectation {
	/** The workflow to run: by default the file's last one. */
	run?: string;
	inputs?: Record<string, unknown>;
	/** Steps to approve, each when it waits for approval. */
	approve?: string[];
	reject?: string[];
	/** Starts a local HTTP server: `${TARGET_URL}` in inputs is its URL, and its host is allowed to http_request. */
	target?: boolean;
	status: Execution["status"];
	outputs?: Record<string, unknown>;
	steps?: Record<string, string>;
}

const files = readdirSync(EXAMPLES)
	.filter(f => /\.(ya?ml|json)$/.test(f) && !f.endsWith(".expect.json"))
	.sort();

const substitute = (value: unknown, vars: Record<string, string>): unknown => JSON.parse(JSON.stringify(value ?? {}).replace(/\$\{(\w+)\}/g, (m, name: string) => vars[name] ?? m));

describe("examples/", () => {
	it("has examples, each with its expectation", () => {
		expect(files.length).toBeGreaterThanOrEqual(5);
		for (const f of files) expect([f, existsSync(path.join(EXAMPLES, f.replace(/\.(ya?ml|json)$/, ".expect.json")))]).toEqual([f, true]);
	});

	describe.each(files)("%s", file => {
		const expectation = JSON.parse(readFileSync(path.join(EXAMPLES, file.replace(/\.(ya?ml|json)$/, ".expect.json")), "utf8")) as Expectation;
		let node: TestNode;
		let target: TargetServer | undefined;

		beforeAll(async () => {
			target = expectation.target ? await startTargetServer() : undefined;
			// The default configuration; only a local HTTP target needs its host allowed.
			node = await startTestNode({ env: target ? { STEP_HTTP_ALLOWED_HOSTS: "127.0.0.1" } : {} });
		});
		afterAll(async () => {
			await node.stop();
			await target?.close();
		});

		it("pushes on its own and runs to the expected end", async () => {
			const email = `examples-${process.pid}-${file.replace(/\W/g, "")}@example.com`;
			await node.http.post("/api/v3/auth/register").send({ email, password: PASSWORD }).expect(201);
			const env = cliEnv(freshConfigHome());
			expect(await runCli(["login", "--server", node.url, "--email", email, "--password", PASSWORD], env)).toMatchObject({ code: 0 });
			const pushed = await runCli(["push", path.join(EXAMPLES, file), "--json"], env);
			if (pushed.code !== 0) throw new Error(`push ${file} failed (${pushed.code}):\n${pushed.stdout}${pushed.stderr}`);
			const outcomes = JSON.parse(pushed.stdout) as { workflow_id: string; version: string; result: string }[];
			expect(outcomes.every(o => o.result === "created")).toBe(true);
			const runs = outcomes.find(o => o.workflow_id === (expectation.run ?? outcomes.at(-1)!.workflow_id))!;

			const client = new CognitionOS({ baseUrl: node.url });
			await client.auth.login({ email, password: PASSWORD });
			const inputs = substitute(expectation.inputs, { TARGET_URL: target?.url ?? "" }) as Record<string, unknown>;
			const started = await client.executions.start({ workflow_id: runs.workflow_id, workflow_version: runs.version, inputs });
			for (const [decision, steps] of [["approve", expectation.approve ?? []], ["reject", expectation.reject ?? []]] as const) {
				for (const step of steps) {
					let x = await client.executions.get(started.execution_id);
					while (x.steps.find(s => s.step_id === step)?.waiting_for !== "approval") {
						if (["completed", "failed", "cancelled"].includes(x.status)) throw new Error(`${file}: the run ended (${x.status}) before ${step} waited for approval`);
						await new Promise(r => setTimeout(r, 50));
						x = await client.executions.get(started.execution_id);
					}
					await client.executions[decision](started.execution_id, step, "by the examples test");
				}
			}
			const final = await client.executions.wait(started.execution_id);
			if (final.status !== expectation.status) throw new Error(`${file} ended ${final.status}, expected ${expectation.status}: ${JSON.stringify(final.error)}`);
			if (expectation.outputs) expect(final.outputs).toMatchObject(expectation.outputs);
			for (const [step, status] of Object.entries(expectation.steps ?? {})) expect([step, final.steps.find(s => s.step_id === step)?.status]).toEqual([step, status]);
		});
	});
});

/** The README's "A first run", as written there: with the CLI, and with the client in a 15-line program. */
describe("the README's first run", () => {
	let node: TestNode;
	const user = { email: "test@example.com", password: "test123456" };

	beforeAll(async () => {
		node = await startTestNode();
		await node.http.post("/api/v3/auth/register").send(user).expect(201);
	});
	afterAll(() => node.stop());

	it("with the CLI: login, push examples/hello.yaml, run it and watch", async () => {
		const env = cliEnv(freshConfigHome());
		expect(await runCli(["login", "--server", node.url, "--email", user.email, "--password", user.password], env)).toMatchObject({ code: 0 });
		expect(await runCli(["push", path.join(EXAMPLES, "hello.yaml")], env)).toMatchObject({ code: 0, stdout: expect.stringContaining("hello@1.0.0 created") });
		const watched = await runCli(["run", "hello", "--input", "who=Ada", "--watch"], env);
		expect(watched.code).toBe(0);
		expect(watched.stdout).toContain("execution completed");
		expect(watched.stdout).toContain('"greeting": "Hello, Ada"');
		const id = (await runCli(["run", "hello", "--input", "who=Ada"], env)).stdout.trim();
		const got = await runCli(["executions", "get", id, "--json"], env);
		expect(JSON.parse(got.stdout)).toMatchObject({ execution_id: id, workflow_id: "hello" });
	});

	it("with the client: node examples/client/first-run.mts", async () => {
		const program = path.join(EXAMPLES, "client", "first-run.mts");
		expect(readFileSync(program, "utf8").trim().split("\n").length).toBeLessThanOrEqual(15);
		const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
			const { execFile } = require("node:child_process") as typeof import("node:child_process");
			const child = execFile(
				process.execPath,
				[program],
				{ env: { PATH: process.env.PATH ?? "", COGNITIONOS_SERVER: node.url, COGNITIONOS_EMAIL: user.email, COGNITIONOS_PASSWORD: user.password } },
				(err, stdout, stderr) => (err && typeof err.code !== "number" ? reject(err) : resolve({ code: child.exitCode, stdout, stderr }))
			);
		});
		expect(out).toMatchObject({ code: 0 });
		expect(out.stdout).toContain("100% Execution completed");
		expect(out.stdout).toMatch(/^completed \{\s+greeting: 'Hello, Ada'/m);
	});
});
