/** Questions on a terminal: a line, or a password that is not echoed. */
import { createInterface } from "node:readline";

export async function ask(question: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
	const rl = createInterface({ input, output, terminal: true });
	try {
		return await new Promise<string>(resolve => rl.question(question, resolve));
	} finally {
		rl.close();
	}
}

export async function askHidden(question: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
	// Raw before the question is shown: what is typed after it must never be echoed.
	input.setRawMode(true);
	output.write(question);
	input.resume();
	let value = "";
	try {
		return await new Promise<string>((resolve, reject) => {
			const onData = (chunk: Buffer) => {
				for (const ch of chunk.toString("utf8")) {
					if (ch === "\r" || ch === "\n") {
						input.off("data", onData);
						return resolve(value);
					}
					if (ch === "\u0003") {
						input.off("data", onData);
						return reject(new Error("Cancelled"));
					}
					if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
					else value += ch;
				}
			};
			input.on("data", onData);
		});
	} finally {
		input.setRawMode(false);
		input.pause();
		output.write("\n");
	}
}
