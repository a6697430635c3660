/**
 * Every workflow file in examples/ is pushed with the CLI (`cognitionos push FILE`) to a
 * fresh server with the default configuration and run to its end. Each file has a
 * sibling `NAME.expect.json` (see examples/README.md): the run's inputs, the approvals
 * it needs, and the status, outputs and step statuses it must end with. A new example is
 * picked up without touching this test.
 */
import { createHmac, randomUUID } from "node:crypto";
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
	/** Secrets set for the user before the push (PUT /api/v3/secrets/NAME). */
	secrets?: Record<string, string>;
	/** Starts a local HTTP server: `${TARGET_URL}` in inputs is its URL, and its host is allowed to http_request. */
	target?: boolean;
	/** How the run starts: `execute` (the default), an event its trigger matches, or a signed delivery to an inbound webhook. */
	start?: "execute" | { event: { name: string; id?: string; data?: unknown } } | { hook: { event: string; verify: "github"; body: Record<string, unknown> } };
	/** Events sent (POST /events), each once `after` waits for an event. */
	emit?: { after: string; name: string; data?: unknown }[];
	/** Signals sent to the run, each once `after` waits for an event. */
	signal?: { after: string; name: string; data?: unknown }[];
	status: Execution["status"];
	outputs?: Record<string, unknown>;
	steps?: Record<string, string>;
	/** Step id → what its output must contain (deep, partial match). */
	stepOutputs?: Record<string, unknown>;
	/** After the run: a dataset from a JSON lines file here, an eval of each version over it with these scorers, each ending with its aggregates, then the first two compared. */
	eval?: { dataset: string; scorers: Record<string, unknown>[]; aggregates: Record<string, Record<string, number>> };
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
			if (expectation.secrets) {
				const { body } = await node.http.post("/api/v3/auth/login").send({ email, password: PASSWORD }).expect(200);
				for (const [name, value] of Object.entries(expectation.secrets)) {
					await node.http.put(`/api/v3/secrets/${name}`).set("Authorization", `Bearer ${body.access_token}`).send({ value }).expect(201);
				}
			}
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
			const login = await node.http.post("/api/v3/auth/login").send({ email, password: PASSWORD }).expect(200);
			const auth = { Authorization: `Bearer ${login.body.access_token as string}` };
			const started = await startRun(client, node, auth, expectation.start ?? "execute", { workflow_id: runs.workflow_id, workflow_version: runs.version, inputs });
			const waitFor = async (step: string, kind: "approval" | "event") => {
				let x = await client.executions.get(started.execution_id);
				while (x.steps.find(s => s.step_id === step)?.waiting_for !== kind) {
					if (["completed", "failed", "cancelled"].includes(x.status)) throw new Error(`${file}: the run ended (${x.status}) before ${step} waited for ${kind}`);
					await new Promise(r => setTimeout(r, 50));
					x = await client.executions.get(started.execution_id);
				}
			};
			for (const [decision, steps] of [["approve", expectation.approve ?? []], ["reject", expectation.reject ?? []]] as const) {
				for (const step of steps) {
					await waitFor(step, "approval");
					await client.executions[decision](started.execution_id, step, "by the examples test");
				}
			}
			for (const e of expectation.emit ?? []) {
				await waitFor(e.after, "event");
				await client.events.emit({ name: e.name, data: e.data });
			}
			for (const sig of expectation.signal ?? []) {
				await waitFor(sig.after, "event");
				await client.executions.signal(started.execution_id, sig.name, sig.data);
			}
			const final = await client.executions.wait(started.execution_id);
			if (final.status !== expectation.status) throw new Error(`${file} ended ${final.status}, expected ${expectation.status}: ${JSON.stringify(final.error)}`);
			if (expectation.outputs) expect(final.outputs).toMatchObject(expectation.outputs);
			for (const [step, status] of Object.entries(expectation.steps ?? {})) expect([step, final.steps.find(s => s.step_id === step)?.status]).toEqual([step, status]);
			for (const [step, output] of Object.entries(expectation.stepOutputs ?? {})) expect({ [step]: final.steps.find(s => s.step_id === step)?.output }).toMatchObject({ [step]: output });
			if (expectation.eval) await runEvals(node, auth, runs.workflow_id, expectation.eval);
		});
	});
});

/** The evals an example asks for, as examples/README.md's commands make them: each must end completed with its aggregates. */
async function runEvals(node: TestNode, auth: Record<string, string>, workflowId: string, spec: NonNullable<Expectation["eval"]>): Promise<void> {
	const jsonl = readFileSync(path.join(EXAMPLES, spec.dataset), "utf8");
	const dataset = await node.http.post("/api/v3/datasets").set(auth).send({ name: spec.dataset, jsonl });
	if (dataset.status !== 201) throw new Error(`${spec.dataset} was refused: ${dataset.status} ${JSON.stringify(dataset.body)}`);
	const ids: string[] = [];
	for (const [version, aggregates] of Object.entries(spec.aggregates)) {
		const started = await node.http.post("/api/v3/evals").set(auth).send({ workflow_id: workflowId, workflow_version: version, dataset_id: dataset.body.id, scorers: spec.scorers }).expect(201);
		let e = (await node.http.get(`/api/v3/evals/${started.body.id}`).set(auth).expect(200)).body;
		const until = Date.now() + 30_000;
		while (e.status === "running") {
			if (Date.now() > until) throw new Error(`the eval of ${workflowId}@${version} did not finish: ${JSON.stringify(e)}`);
			await new Promise(r => setTimeout(r, 100));
			e = (await node.http.get(`/api/v3/evals/${started.body.id}`).set(auth).expect(200)).body;
		}
		expect({ version, status: e.status, aggregates: e.aggregates }).toEqual({ version, status: "completed", aggregates });
		ids.push(started.body.id as string);
	}
	if (ids.length < 2) return;
	const compared = await node.http.get(`/api/v3/evals/compare?a=${ids[0]}&b=${ids[1]}`).set(auth).expect(200);
	const [a, b] = Object.values(spec.aggregates);
	for (const { name, delta } of compared.body.scorers as { name: string; delta: number }[]) expect([name, delta]).toEqual([name, expect.closeTo(b[name] - a[name], 9)]);
}

/** Starts the example's run as its expectation says, and returns its execution id. */
async function startRun(
	client: CognitionOS,
	node: TestNode,
	auth: Record<string, string>,
	start: NonNullable<Expectation["start"]>,
	request: { workflow_id: string; workflow_version: string; inputs: Record<string, unknown> }
): Promise<{ execution_id: string }> {
	if (start === "execute") return client.executions.start(request);
	let answer: { runs?: { execution_id: string }[] };
	if ("event" in start) {
		answer = (await client.events.emit(start.event)) as typeof answer;
	} else {
		// An inbound webhook as GitHub would call it: the body signed with the hook's secret, a delivery id.
		const hook = await node.http.post("/api/v3/hooks").set(auth).send({ event: start.hook.event, verify: start.hook.verify }).expect(201);
		const body = JSON.stringify(start.hook.body);
		const signature = `sha256=${createHmac("sha256", hook.body.secret as string).update(body).digest("hex")}`;
		const delivery = await node.http
			.post(hook.body.url as string)
			.set({ "Content-Type": "application/json", "X-Hub-Signature-256": signature, "X-GitHub-Delivery": randomUUID(), "X-GitHub-Event": "push" })
			.send(body);
		if (delivery.status >= 300) throw new Error(`the hook refused the delivery: ${delivery.status} ${JSON.stringify(delivery.body)}`);
		// The sender hears only that the delivery was taken; its owner sees the runs it started.
		const listed = await node.http.get("/api/v3/events").set(auth).expect(200);
		answer = (listed.body.events as { event_id: string; runs: { execution_id: string }[] }[]).find(e => e.event_id === delivery.body.event_id) ?? {};
	}
	const run = answer.runs?.[0];
	if (!run) throw new Error(`no run started: ${JSON.stringify(answer)}`);
	return run;
}

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
