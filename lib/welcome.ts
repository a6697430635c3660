/** The start-up line that tells a newcomer where CognitionOS is and how to get in. */

export interface WelcomeFacts {
	/** The gateway's address as the log shows it (API_HOST 0.0.0.0 shows as localhost). */
	host: string;
	port: number;
	/** SECURITY_ADMIN_EMAIL, empty when no admin is configured. */
	adminEmail: string;
}

export function welcomeLine({ host, port, adminEmail }: WelcomeFacts): string {
	const shown = host === "0.0.0.0" || host === "::" || host === "" ? "localhost" : host.includes(":") ? `[${host}]` : host;
	const url = `http://${shown}:${port}`;
	const signIn = adminEmail
		? `sign in as ${adminEmail} (SECURITY_ADMIN_EMAIL), or create an account on the sign-up page`
		: "create an account on the sign-up page (no admin is configured: set SECURITY_ADMIN_EMAIL and SECURITY_ADMIN_PASSWORD for one)";
	return `Open ${url}/ and ${signIn}; from a terminal: npx cognitionos login --server ${url}`;
}
