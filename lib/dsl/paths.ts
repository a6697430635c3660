/** Field paths as problems name them: `steps[3].params.url`, `params.headers["X-Api-Key"]`. */
export function childPath(parent: string, key: string | number): string {
	if (typeof key === "number") return `${parent}[${key}]`;
	if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return parent ? `${parent}.${key}` : key;
	return `${parent}[${JSON.stringify(key)}]`;
}

/** Appends a JSON pointer (`/headers/X-Api~1Key`, as ajv reports) to a path. */
export function pointerPath(parent: string, pointer: string): string {
	if (!pointer) return parent;
	return pointer
		.slice(1)
		.split("/")
		.map(s => s.replace(/~1/g, "/").replace(/~0/g, "~"))
		.reduce<string>((path, s) => childPath(path, /^\d+$/.test(s) ? Number(s) : s), parent);
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === "object" && value !== null && !Array.isArray(value);
