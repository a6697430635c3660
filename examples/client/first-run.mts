// The README's first run with the TypeScript client: `node examples/client/first-run.mts` (Node 22 runs TypeScript).
import { readFileSync } from "node:fs";
import { CognitionOS } from "@cognitionos/client";

const client = new CognitionOS({ baseUrl: process.env.COGNITIONOS_SERVER ?? "http://localhost:8100" });
await client.auth.login({ email: process.env.COGNITIONOS_EMAIL ?? "test@example.com", password: process.env.COGNITIONOS_PASSWORD ?? "test123456" });
await client.workflows.create(readFileSync(new URL("../hello.yaml", import.meta.url), "utf8"));

const run = await client.executions.start({ workflow_id: "hello", workflow_version: "1.0.0", inputs: { who: "Ada" } });
for await (const message of client.executions.watch(run.execution_id)) {
	if (message.type === "workflow_status") console.log(`${message.data.progress}% ${message.data.message}`);
}
const final = await client.executions.get(run.execution_id);
console.log(final.status, final.outputs);
