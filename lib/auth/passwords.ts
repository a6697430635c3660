import bcrypt from "bcrypt";

/** bcrypt reads at most 72 bytes; longer passwords would be silently truncated. */
export const MAX_PASSWORD_BYTES = 72;
export const MIN_PASSWORD_LENGTH = 8;

export function passwordProblem(password: string): string | null {
	if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
	if (Buffer.byteLength(password, "utf8") > MAX_PASSWORD_BYTES) return `must be at most ${MAX_PASSWORD_BYTES} bytes`;
	return null;
}

export function hashPassword(password: string, rounds: number): Promise<string> {
	return bcrypt.hash(password, rounds);
}

/** A hash to compare against when the email is unknown, so both failures take as long. */
const dummyHashes = new Map<number, Promise<string>>();

export async function verifyPassword(password: string, hash: string | null, rounds: number): Promise<boolean> {
	if (hash) return bcrypt.compare(password, hash);
	let dummy = dummyHashes.get(rounds);
	if (!dummy) dummyHashes.set(rounds, (dummy = bcrypt.hash("not-a-real-password", rounds)));
	await bcrypt.compare(password, await dummy);
	return false;
}
