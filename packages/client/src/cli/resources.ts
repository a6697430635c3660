/** `executions list|get|cancel|retry|approve|reject`, `workflows list`, `events emit`. */
import { readFileSync } from "node:fs";
import type { Execution } from "../types";
import { Cli, InvalidInput } from "./context";

function table(rows: string[][]): string {
	const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
	return rows.map(r => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ")).join("\n");
}

function printExecution(cli: Cli, x: Execution): void {
	if (cli.json) return cli.printJson(x);
	cli.out(`${x.execution_id}  ${x.workflow_id}@${x.workflow_version}  ${x.status}  ${x.progress}%`);
	if (x.error) cli.out(`error${x.error.step_id ? ` in step ${x.error.step_id}` : ""}: ${x.error.message}`);
	if (x.steps.length)
		cli.out(
			table([
				["STEP", "TYPE", "STATUS", "ATTEMPTS", "ERROR"],
				...x.steps.map(s => [s.step_id, s.type, s.waiting_for ? `waiting (${s.waiting_for})` : s.status, String(s.attempts), s.error?.message ?? ""])
			])
		);
	if (x.status === "completed" && x.outputs) cli.out(`outputs: ${JSON.stringify(x.outputs)}`);
}

export async function listExecutions(cli: Cli, opts: { workflow?: string; status?: string; page?: string; pageSize?: string }): Promise<number> {
	const page = await cli.signedInClient().executions.list({
		workflow_id: opts.workflow,
		status: opts.status as Execution["status"] | undefined,
		page: opts.page ? Number(opts.page) : undefined,
		page_size: opts.pageSize ? Number(opts.pageSize) : undefined
	});
	if (cli.json) cli.printJson(page);
	else if (!page.executions.length) cli.out("No executions");
	else {
		cli.out(table([["EXECUTION", "WORKFLOW", "STATUS", "PROGRESS", "CREATED"], ...page.executions.map(x => [x.execution_id, `${x.workflow_id}@${x.workflow_version}`, x.status, `${x.progress}%`, x.created_at])]));
		cli.out(`page ${page.page} of ${Math.max(1, Math.ceil(page.total / page.page_size))} (${page.total} in all)`);
	}
	return 0;
}

export async function getExecution(cli: Cli, id: string): Promise<number> {
	printExecution(cli, await cli.signedInClient().executions.get(id));
	return 0;
}

export async function operate(cli: Cli, action: "cancel" | "retry" | "approve" | "reject", id: string, opts: { step?: string; reason?: string; comment?: string }): Promise<number> {
	const executions = cli.signedInClient().executions;
	const x =
		action === "cancel"
			? await executions.cancel(id, opts.reason)
			: action === "retry"
				? await executions.retry(id)
				: action === "approve"
					? await executions.approve(id, opts.step!, opts.comment)
					: await executions.reject(id, opts.step!, opts.comment);
	printExecution(cli, x);
	return 0;
}

export async function listWorkflows(cli: Cli, opts: { status?: string; q?: string; page?: string }): Promise<number> {
	const page = await cli.signedInClient().workflows.list({ status: opts.status as never, q: opts.q, page: opts.page ? Number(opts.page) : undefined });
	if (cli.json) cli.printJson(page);
	else if (!page.workflows.length) cli.out("No workflows");
	else cli.out(table([["WORKFLOW", "VERSION", "STATUS", "NAME"], ...page.workflows.map(w => [w.workflow_id, w.version, w.status, w.name])]));
	return 0;
}

export async function emitEvent(cli: Cli, name: string, opts: { data?: string; dataFile?: string; id?: string }): Promise<number> {
	let data: unknown = null;
	try {
		if (opts.dataFile) data = JSON.parse(readFileSync(opts.dataFile, "utf8"));
		else if (opts.data !== undefined) data = JSON.parse(opts.data);
	} catch (err) {
		throw new InvalidInput(`${opts.dataFile ? `--data-file ${opts.dataFile}` : "--data"}: expected JSON (${(err as Error).message})`);
	}
	const answer = await cli.signedInClient().events.emit({ name, data, ...(opts.id ? { id: opts.id } : {}) });
	if (cli.json) cli.printJson(answer);
	else cli.out(`Event ${String(answer.event_id ?? name)} ${answer.duplicate ? "was a duplicate" : "accepted"}`);
	return 0;
}
