/**
 * The `cognitionos` command. Exit codes: 0 ok; 1 the run failed or the input is invalid;
 * 2 usage; 3 auth or connection. Every command takes --server URL and --json.
 */
import { Command, CommanderError, Option } from "commander";
import { login, logout, whoami } from "./auth";
import { Cli, describeError, errorJson, exitCodeOf, EXIT, type GlobalOptions, type Io } from "./context";
import { push } from "./push";
import { emitEvent, getExecution, listExecutions, listWorkflows, operate } from "./resources";
import { logs, run } from "./run";

const VERSION = "3.0.0";

const collect = (value: string, previous: string[]) => [...previous, value];

function program(io: Io, done: (code: number) => void): Command {
	const root = new Command("cognitionos")
		.description("Push, run and follow CognitionOS workflows")
		.version(VERSION)
		.option("--server <url>", "the server (default: the one you signed in to last, else COGNITIONOS_SERVER, else http://localhost:8100)")
		.option("--json", "machine output only (JSON)")
		.showHelpAfterError("(cognitionos --help lists the commands)")
		.exitOverride()
		.configureOutput({ writeOut: s => io.stdout.write(s), writeErr: s => io.stderr.write(s) });

	// Each action gets the global options merged in, and reports its exit code.
	const act =
		<A extends unknown[]>(fn: (cli: Cli, ...args: A) => Promise<number>) =>
		async (...args: unknown[]) => {
			const command = args.at(-1) as Command;
			const cli = new Cli(io, command.optsWithGlobals() as GlobalOptions);
			try {
				done(await fn(cli, ...(args.slice(0, -1) as A)));
			} catch (err) {
				if (cli.json) io.stderr.write(`${JSON.stringify(errorJson(err))}\n`);
				else io.stderr.write(`${describeError(err)}\n`);
				done(exitCodeOf(err));
			}
		};
	const sub = (name: string, description: string) =>
		root
			.command(name)
			.description(description)
			.option("--server <url>", "the server")
			.option("--json", "machine output only (JSON)");

	sub("login", "sign in and keep the session ($XDG_CONFIG_HOME/cognitionos/, mode 0600)")
		.option("--email <email>", "prompted for on a terminal when missing")
		.option("--password <password>", "prompted for (not echoed) on a terminal when missing")
		.action(act((cli, opts: { email?: string; password?: string }) => login(cli, opts)));
	sub("logout", "end the session with the server and forget it").action(act(cli => logout(cli)));
	sub("whoami", "the signed-in user").action(act(cli => whoami(cli)));

	sub("push", "store workflow versions from YAML or JSON files (problems as FILE:LINE:COL message)")
		.argument("<files...>", "workflow files (.yaml, .yml, .json)")
		.action(act((cli, files: string[]) => push(cli, files)));

	sub("run", "start a run of WORKFLOW (its newest active version) or WORKFLOW@VERSION")
		.argument("<workflow>", "WORKFLOW or WORKFLOW@VERSION")
		.option("-i, --input <name=value>", "an input (repeatable; read as the type the workflow declares)", collect, [])
		.option("--input-file <file>", "inputs from a JSON object (repeatable; --input wins)", collect, [])
		.addOption(new Option("--wait", "wait until the run ends; exit 1 unless it completed").conflicts("watch"))
		.option("--watch", "follow the run live until it ends; exit 1 unless it completed")
		.option("--timeout <duration>", "with --wait or --watch: give up after this long (30s, 5m)")
		.option("--idempotency-key <key>", "the same key again answers with the run it started")
		.action(act((cli, ref: string, opts) => run(cli, ref, opts as Parameters<typeof run>[2])));

	sub("logs", "follow a run's stream until it ends (with --json: one message per line)")
		.argument("<execution>", "execution id")
		.option("--timeout <duration>", "give up after this long")
		.action(act((cli, id: string, opts: { timeout?: string }) => logs(cli, id, opts)));

	const executions = root.command("executions").description("list and operate runs");
	const execSub = (name: string, description: string) => executions.command(name).description(description).option("--server <url>", "the server").option("--json", "machine output only (JSON)");
	execSub("list", "your runs, newest first")
		.option("--workflow <id>", "only this workflow's")
		.option("--status <status>", "pending, running, completed, failed or cancelled")
		.option("--page <n>", "page number")
		.option("--page-size <n>", "runs per page (at most 100)")
		.action(act((cli, opts) => listExecutions(cli, opts as Parameters<typeof listExecutions>[1])));
	execSub("get", "one run and each of its steps")
		.argument("<execution>", "execution id")
		.action(act((cli, id: string) => getExecution(cli, id)));
	execSub("cancel", "cancel a run")
		.argument("<execution>", "execution id")
		.option("--reason <text>", "why")
		.action(act((cli, id: string, opts: { reason?: string }) => operate(cli, "cancel", id, opts)));
	execSub("retry", "run a failed or cancelled run again from where it stopped")
		.argument("<execution>", "execution id")
		.action(act((cli, id: string) => operate(cli, "retry", id, {})));
	for (const decision of ["approve", "reject"] as const)
		execSub(decision, `${decision} a step waiting for approval`)
			.argument("<execution>", "execution id")
			.argument("<step>", "step id")
			.option("--comment <text>", "a comment kept with the decision")
			.action(act((cli, id: string, step: string, opts: { comment?: string }) => operate(cli, decision, id, { ...opts, step })));

	const workflows = root.command("workflows").description("workflow definitions");
	workflows
		.command("list")
		.description("your workflows")
		.option("--status <status>", "draft, active, deprecated or archived")
		.option("--q <text>", "search")
		.option("--page <n>", "page number")
		.option("--server <url>", "the server")
		.option("--json", "machine output only (JSON)")
		.action(act((cli, opts) => listWorkflows(cli, opts as Parameters<typeof listWorkflows>[1])));

	const events = root.command("events").description("events that start and resume runs");
	events
		.command("emit")
		.description("send an event (POST /api/v3/events)")
		.argument("<name>", "event name, e.g. order.created")
		.option("--data <json>", "the event's data (JSON)")
		.option("--data-file <file>", "the event's data from a JSON file")
		.option("--id <id>", "an id: the same id again is a duplicate")
		.option("--server <url>", "the server")
		.option("--json", "machine output only (JSON)")
		.action(act((cli, name: string, opts) => emitEvent(cli, name, opts as Parameters<typeof emitEvent>[2])));

	for (const group of [executions, workflows, events]) group.exitOverride().configureOutput({ writeOut: s => io.stdout.write(s), writeErr: s => io.stderr.write(s) });
	return root;
}

/** Runs the command line; resolves with the exit code. */
export async function main(argv: string[] = process.argv, io: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }): Promise<number> {
	let code: number = EXIT.ok;
	const cmd = program(io, c => (code = c));
	for (const c of cmd.commands.flatMap(c => [c, ...c.commands])) c.exitOverride().configureOutput({ writeOut: s => io.stdout.write(s), writeErr: s => io.stderr.write(s) });
	try {
		await cmd.parseAsync(argv);
	} catch (err) {
		if (err instanceof CommanderError) {
			// --help and --version end here with exit code 0; every other parser error is a usage error.
			return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
		}
		throw err;
	}
	return code;
}
