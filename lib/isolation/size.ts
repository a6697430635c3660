/**
 * The size of a value as JSON text, in bytes (UTF-8), measured without building the text
 * and given up as soon as it passes a limit: a 60 MB value costs no more to refuse than
 * the first `limit` bytes of it. Escapes inside strings are not counted (a bound, not an
 * exact length: `"\n"` counts 3 bytes instead of 4).
 */

/** `limit + 1` or more means "more than limit"; the walk stops there. */
export function jsonSize(value: unknown, limit: number): number {
	let total = 0;
	// An explicit stack: the value may nest deeper than the call stack allows.
	const stack: unknown[] = [value];
	while (stack.length) {
		const v = stack.pop();
		switch (typeof v) {
			case "string":
				// Each UTF-16 unit is 1 to 3 bytes: skip the exact count when even the smallest already passes.
				total += 2 + (v.length > limit ? v.length : Buffer.byteLength(v, "utf8"));
				break;
			case "number":
				total += Number.isFinite(v) ? String(v).length : 4;
				break;
			case "boolean":
				total += v ? 4 : 5;
				break;
			case "object":
				if (v === null) total += 4;
				else if (Array.isArray(v)) {
					total += 2 + Math.max(0, v.length - 1);
					for (let i = v.length - 1; i >= 0; i--) stack.push(v[i] === undefined ? null : v[i]);
				} else {
					total += 2;
					let keys = 0;
					for (const key in v) {
						if (!Object.hasOwn(v, key)) continue;
						const item = (v as Record<string, unknown>)[key];
						if (item === undefined || typeof item === "function") continue;
						total += Buffer.byteLength(key, "utf8") + 3 + (keys++ ? 1 : 0);
						stack.push(item);
						if (total > limit) return total;
					}
				}
				break;
			default:
				// undefined and functions are left out of JSON (or written null in arrays, counted above).
				break;
		}
		if (total > limit) return total;
	}
	return total;
}

/** "4 MB", "512 KB", "900 bytes": sizes in messages. */
export function formatBytes(n: number): string {
	if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MB`;
	if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
	return `${n} bytes`;
}
