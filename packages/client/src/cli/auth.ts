/** `login`, `logout`, `whoami`. */
import { CognitionOS } from "../client";
import { Cli, UsageError } from "./context";
import { ask, askHidden } from "./prompt";

export async function login(cli: Cli, opts: { email?: string; password?: string }): Promise<number> {
	const server = cli.server;
	const { stdin, stderr } = cli.io;
	const interactive = Boolean(stdin.isTTY && stderr.isTTY);
	let { email, password } = opts;
	if (!email || !password) {
		if (!interactive) throw new UsageError("login needs --email and --password when it cannot prompt (no terminal)");
		email ||= (await ask("Email: ", stdin, stderr)).trim();
		password ||= await askHidden("Password: ", stdin, stderr);
	}
	const client = new CognitionOS({ baseUrl: server });
	const tokens = await client.auth.login({ email, password });
	cli.store.save(server, { email, access_token: tokens.access_token, refresh_token: tokens.refresh_token }, { makeDefault: true });
	if (cli.json) cli.printJson({ server, email, session_file: cli.store.file });
	else cli.out(`Signed in to ${server} as ${email} (session in ${cli.store.file})`);
	return 0;
}

export async function logout(cli: Cli): Promise<number> {
	const server = cli.server;
	const stored = cli.store.session(server);
	if (stored) {
		// The server forgets the refresh token too; a server that cannot be reached still loses the local session.
		await cli
			.client()
			.auth.logout(stored.refresh_token)
			.catch(() => undefined);
		cli.store.save(server, null);
	}
	if (cli.json) cli.printJson({ server, signed_out: Boolean(stored) });
	else cli.out(stored ? `Signed out of ${server}` : `Not signed in to ${server}`);
	return 0;
}

export async function whoami(cli: Cli): Promise<number> {
	const me = await cli.signedInClient().auth.me();
	if (cli.json) cli.printJson(me);
	else cli.out(`${me.email} (${me.roles.join(", ")}) on ${cli.server}`);
	return 0;
}
