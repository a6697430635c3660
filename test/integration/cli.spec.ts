/**
 * The `cognitionos` CLI as a person and a script use it: in a pseudo-terminal (prompts,
 * the live DAG view) and through pipes (one line per transition, --json, exit codes
 * 0 ok / 1 failed or invalid / 2 usage / 3 auth or connection).
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startTestNode, type TestNode } from "../support/broker";
import { cliEnv, freshConfigHome, ptyCli, runCli } from "../support/cli";
import { AUTH_ENV, createUser, TEST_PASSWORD, type TestUser } from "../support/factories";

const HELLO = `workflow:
  id: cli-hello
  version: "1.0.0"
  inputs:
    - name: who
      type: string
      default: world
    - name: times
      type: integer
      default: 1
  steps:
    - id: greet
      type: transform
      params:
        expression: "'Hello, ' & inputs.who"
    - id: pause
      type: delay
      depends_on: [greet]
      params:
        duration: 300ms
    - id: poem
      type: ai_generate
      depends_on: [pause]
      params:
        prompt: "Write one line about \${{ steps.greet.output }}"
  outputs:
    - name: greeting
      value: "\${{ steps.greet.output }}"
`;

// Line 10 is the step whose params name a field the transform does not have; line 14 depends on a step that does not exist.
const INVALID = `workflow:
  id: cli-invalid
  version: "1.0.0"
  steps:
    - id: fine
      type: transform
      params:
        expression: "1"
    - id: broken
      type: http_request
      params:
        method: GET
    - id: orphan
      type: transform
      depends_on: [nowhere]
      params:
        expression: "2"
`;

const FAILING = `workflow:
  id: cli-failing
  version: "1.0.0"
  steps:
    - id: boom
      type: transform
      params:
        expression: "$error('deliberate failure')"
`;

const APPROVAL = `workflow:
  id: cli-approval
  version: "1.0.0"
  steps:
    - id: ship
      type: approval
      params:
        message: Ship it?
    - id: done
      type: transform
      depends_on: [ship]
      params:
        expression: "'shipped'"
`;

const ESC = "\u001b";

describe("cognitionos CLI", () => {
	let node: TestNode;
	let user: TestUser;
	let dir: string;
	let home: string;
	let env: Record<string, string>;
	const file = (name: string, text: string) => {
		const p = path.join(dir, name);
		writeFileSync(p, text);
		return p;
	};

	beforeAll(async () => {
		node = await startTestNode({ env: AUTH_ENV });
		user = await createUser(node.http, { tag: "cli" });
		dir = mkdtempSync(path.join(tmpdir(), "cos-cli-files-"));
		home = freshConfigHome();
		env = cliEnv(home);
		const login = await runCli(["login", "--server", node.url, "--email", user.email, "--password", TEST_PASSWORD], env);
		expect(login).toMatchObject({ code: 0 });
		const push = await runCli(["push", file("hello.yaml", HELLO), file("failing.yaml", FAILING), file("approval.yaml", APPROVAL)], env);
		expect(push).toMatchObject({ code: 0 });
	});
	afterAll(() => node.stop());

	describe("login", () => {
		it("keeps the session in $XDG_CONFIG_HOME/cognitionos with every file 0600, and later commands use it", async () => {
			const sessionDir = path.join(home, "cognitionos");
			expect(statSync(sessionDir).mode & 0o777).toBe(0o700);
			const files = ["sessions.json"];
			for (const f of files) expect(statSync(path.join(sessionDir, f)).mode & 0o777).toBe(0o600);
			const stored = JSON.parse(readFileSync(path.join(sessionDir, "sessions.json"), "utf8"));
			expect(stored.server).toBe(node.url);
			const me = await runCli(["whoami", "--json"], env);
			expect(me.code).toBe(0);
			expect(JSON.parse(me.stdout)).toMatchObject({ email: user.email });
		});

		it("prompts for the email and a password that is not echoed on a terminal", async () => {
			const h = freshConfigHome();
			const term = ptyCli(["login", "--server", node.url], cliEnv(h));
			await term.waitFor("Email: ");
			term.pty.write(`${user.email}\r`);
			await term.waitFor("Password: ");
			term.pty.write(`${TEST_PASSWORD}\r`);
			expect(await term.exited).toBe(0);
			expect(term.output()).toContain(`Signed in to ${node.url} as ${user.email}`);
			expect(term.output()).not.toContain(TEST_PASSWORD);
			expect(statSync(path.join(h, "cognitionos", "sessions.json")).mode & 0o777).toBe(0o600);
		});

		it("without a terminal and without --password is a usage error (2); wrong credentials are 3", async () => {
			const h = freshConfigHome();
			const missing = await runCli(["login", "--server", node.url, "--email", user.email], cliEnv(h));
			expect(missing.code).toBe(2);
			expect(missing.stderr).toContain("--password");
			const wrong = await runCli(["login", "--server", node.url, "--email", user.email, "--password", "not-the-password"], cliEnv(h));
			expect(wrong.code).toBe(3);
			expect(wrong.stderr).toMatch(/401 invalid_credentials|401/);
		});
	});

	describe("push", () => {
		it("creates a version once; the identical file again is a no-op with exit 0", async () => {
			const f = file("again.yaml", HELLO.replace("cli-hello", "cli-again"));
			const first = await runCli(["push", f], env);
			expect(first).toMatchObject({ code: 0, stdout: `${f}: cli-again@1.0.0 created\n` });
			const second = await runCli(["push", f], env);
			expect(second).toMatchObject({ code: 0, stdout: `${f}: cli-again@1.0.0 unchanged\n` });
			const json = await runCli(["push", f, "--json"], env);
			expect(JSON.parse(json.stdout)).toEqual([{ file: f, result: "unchanged", workflow_id: "cli-again", version: "1.0.0" }]);
		});

		it("prints each problem as FILE:LINE:COL message and exits 1", async () => {
			const f = file("invalid.yaml", INVALID);
			const res = await runCli(["push", f], env);
			expect(res.code).toBe(1);
			const lines = res.stderr.trim().split("\n");
			expect(lines.length).toBeGreaterThanOrEqual(2);
			for (const line of lines) expect(line).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+ \\S`));
			expect(lines.some(l => /:1[12]:\d+ steps\[1\]\.params/.test(l))).toBe(true);
			expect(lines.some(l => /:15:\d+ steps\[2\]\.depends_on/.test(l))).toBe(true);
		});

		it("pushes each workflow of a file with several YAML documents, placing problems on the file's own lines", async () => {
			// Line 11, column 16 of the file: the second document's step type.
			const two = file("two.yaml", 'workflow:\n  id: two-a\n  version: "1.0.0"\n  steps:\n    - { id: s, type: transform, params: { expression: "1" } }\n---\nworkflow:\n  id: two-b\n  version: "1.0.0"\n  steps:\n    - { id: t, type: no_such_step }\n');
			const res = await runCli(["push", two], env);
			expect(res.code).toBe(1);
			expect(res.stdout).toBe(`${two}: two-a@1.0.0 created\n`);
			expect(res.stderr).toMatch(/two\.yaml:11:16 steps\[0\]\.type/);
		});

		it("names the line and column of a malformed file, and a changed version's version line", async () => {
			const malformed = file("malformed.yaml", "workflow:\n  id: x\n  steps: [\n");
			const res = await runCli(["push", malformed], env);
			expect(res.code).toBe(1);
			expect(res.stderr).toMatch(new RegExp(`^${malformed.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+ `));
			const changed = file("changed.yaml", HELLO.replace("'Hello, '", "'Hi, '"));
			const conflict = await runCli(["push", changed], env);
			expect(conflict.code).toBe(1);
			expect(conflict.stderr).toMatch(new RegExp(`changed\\.yaml:3:3 .*new version`));
			const json = file("bad.json", '{"workflow_id": "j", "version": "1.0.0",\n  "steps": [}');
			const jsonRes = await runCli(["push", json], env);
			expect(jsonRes.code).toBe(1);
			expect(jsonRes.stderr).toMatch(/bad\.json:2:\d+ /);
		});
	});

	describe("run through pipes", () => {
		it("prints the execution id alone, to capture it in a shell", async () => {
			const res = await runCli(["run", "cli-hello", "--input", "who=Ada"], env);
			expect(res.code).toBe(0);
			expect(res.stdout).toMatch(/^[0-9a-f-]{36}\n$/);
		});

		it("--wait --json prints only the final execution with its steps", async () => {
			const res = await runCli(["run", "cli-hello@1.0.0", "--input", "who=Ada", "--input", "times=3", "--wait", "--json"], env);
			expect(res.code).toBe(0);
			const x = JSON.parse(res.stdout);
			expect(x).toMatchObject({ status: "completed", progress: 100, inputs: { who: "Ada", times: 3 }, outputs: { greeting: "Hello, Ada" } });
			expect(x.steps.map((s: { step_id: string; status: string }) => `${s.step_id}:${s.status}`)).toEqual(["greet:completed", "pause:completed", "poem:completed"]);
		});

		it("--watch prints one line per transition, ending with the run's", async () => {
			const res = await runCli(["run", "cli-hello", "--watch"], env);
			expect(res.code).toBe(0);
			const lines = res.stdout.trim().split("\n");
			const transitions = lines.filter(l => /^\+\d+\.\d\ds /.test(l)).map(l => l.replace(/^\+\d+\.\d\ds /, "").replace(/ \(.*\)$/, ""));
			expect(transitions).toEqual([
				"execution running",
				"greet running",
				"greet completed",
				"pause running",
				"pause waiting",
				"pause completed",
				"poem running",
				"poem completed",
				"execution completed"
			]);
			expect(res.stdout).not.toContain("\u001b[");
			expect(lines.at(-1)).not.toMatch(/^\+/);
		});

		it("--watch --json prints machine output only: the final execution", async () => {
			const res = await runCli(["run", "cli-hello", "--watch", "--json"], env);
			expect(res.code).toBe(0);
			expect(JSON.parse(res.stdout)).toMatchObject({ status: "completed", steps: expect.any(Array) });
		});

		it("exits 1 when the run fails, and says why", async () => {
			const res = await runCli(["run", "cli-failing", "--wait"], env);
			expect(res.code).toBe(1);
			expect(res.stdout).toContain("cli-failing@1.0.0 failed");
			expect(res.stdout).toContain("deliberate failure");
			const json = await runCli(["run", "cli-failing", "--watch", "--json"], env);
			expect(json.code).toBe(1);
			expect(JSON.parse(json.stdout)).toMatchObject({ status: "failed", error: { step_id: "boom" } });
		});

		it("exits 1 for an input of the wrong type, 2 for a wrong command line, 3 without a server or credentials", async () => {
			const badInput = await runCli(["run", "cli-hello", "--input", "times=many"], env);
			expect(badInput.code).toBe(1);
			expect(badInput.stderr).toContain("--input times: expected an integer");
			const usage = await runCli(["run", "cli-hello", "--wait", "--watch"], env);
			expect(usage.code).toBe(2);
			const unknown = await runCli(["run", "cli-hello", "--frobnicate"], env);
			expect(unknown.code).toBe(2);
			const down = await runCli(["executions", "list", "--server", "http://127.0.0.1:9"], cliEnv(freshConfigHome(), { COGNITIONOS_TOKEN: user.token }));
			expect(down.code).toBe(3);
			expect(down.stderr).toContain("Cannot reach http://127.0.0.1:9");
			const anonymous = await runCli(["executions", "list", "--server", node.url], cliEnv(freshConfigHome()));
			expect(anonymous.code).toBe(3);
			expect(anonymous.stderr).toContain("cognitionos login");
			const badToken = await runCli(["executions", "list", "--server", node.url, "--json"], cliEnv(freshConfigHome(), { COGNITIONOS_TOKEN: "not-a-token" }));
			expect(badToken.code).toBe(3);
			expect(JSON.parse(badToken.stderr)).toMatchObject({ status: 401, error: "invalid_token", trace_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
			const missing = await runCli(["executions", "get", "00000000-0000-0000-0000-000000000000"], env);
			expect(missing.code).toBe(1);
			expect(missing.stderr).toContain("404 not_found");
		});

		it("operates runs: approve a waiting step, follow the logs to the end, list and get", async () => {
			const started = await runCli(["run", "cli-approval"], env);
			const id = started.stdout.trim();
			let waiting = "";
			while (!waiting.includes("waiting (approval)")) waiting = (await runCli(["executions", "get", id], env)).stdout;
			const logs = runCli(["logs", id, "--json"], env);
			const approved = await runCli(["executions", "approve", id, "ship", "--comment", "go"], env);
			expect(approved.code).toBe(0);
			const followed = await logs;
			expect(followed.code).toBe(0);
			const messages = followed.stdout.trim().split("\n").map(l => JSON.parse(l));
			const seqs = messages.map(m => m.seq);
			expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
			expect(new Set(seqs).size).toBe(seqs.length);
			expect(messages.at(-1)).toMatchObject({ type: "workflow_status", data: { status: "completed" } });
			expect(messages.some(m => m.data.event_type === "ApprovalDecided")).toBe(true);
			const list = await runCli(["executions", "list", "--workflow", "cli-approval", "--json"], env);
			expect(JSON.parse(list.stdout).executions.map((x: { execution_id: string }) => x.execution_id)).toContain(id);
			const get = await runCli(["executions", "get", id, "--json"], env);
			expect(JSON.parse(get.stdout).steps[0]).toMatchObject({ step_id: "ship", approval: { decision: "approved", comment: "go" } });
			const again = await runCli(["executions", "cancel", id], env);
			expect(again.code).toBe(1);
			expect(again.stderr).toContain("409 conflict");
		});
	});

	describe("run --watch on a terminal", () => {
		it("draws the DAG's steps with live status, a progress bar and the elapsed time, in place", async () => {
			const term = ptyCli(["run", "cli-hello", "--input", "who=Tty", "--watch"], env);
			// A frame while the delay step waits: the earlier step done, the later one pending.
			await term.waitFor(/pause\s+\S*waiting/);
			const code = await term.exited;
			expect(code).toBe(0);
			const out = term.output();
			const plain = out.replace(new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]`, "g"), "");
			// Redrawn in place: the cursor goes back up over the previous frame.
			expect(out).toMatch(new RegExp(`${ESC}\\[\\d+F`));
			expect(plain).toMatch(/greet\s+completed\s+transform/);
			expect(plain).toMatch(/poem\s+pending\s+ai_generate ← pause/);
			expect(plain).toMatch(/\[█{24}\] 100%\s+completed\s+\d+\.\ds/);
			expect(plain).toMatch(/\[░*█*░*\]\s+\d+%\s+running/);
			expect(plain).toContain("cli-hello@1.0.0 completed");
			// Colour on a terminal, the cursor shown again at the end.
			expect(out).toContain("\u001b[32m");
			expect(out.lastIndexOf("\u001b[?25h")).toBeGreaterThan(out.lastIndexOf("\u001b[?25l"));
		});
	});
});
