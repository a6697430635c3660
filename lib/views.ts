/** Small pieces of the API's JSON views of stored rows. */

/** A stored millisecond timestamp as ISO 8601, null kept. */
export const isoTime = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Stored JSON text parsed back; text that is not JSON is shown as it was stored. */
export function jsonOrText(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}
