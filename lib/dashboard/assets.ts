/**
 * The dashboard's files as the gateway serves them: built by `npm run build`
 * (public/dashboard/build.mjs) into dist/public/dashboard, read once, gzipped once.
 * Only the files found there at start are served: a name from a URL never reaches the
 * file system.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

export interface DashboardFile {
	body: Buffer;
	gzipped: Buffer | null;
	contentType: string;
	/** Content-hashed chunk names never change meaning: cache them for good; the rest revalidate. */
	immutable: boolean;
}

const TYPES: Record<string, string> = {
	".html": "text/html; charset=utf-8",
	".js": "application/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".map": "application/json; charset=utf-8",
	".txt": "text/plain; charset=utf-8",
	".svg": "image/svg+xml"
};

/** The repository (or image) root: the nearest folder above this file with a package.json (this file runs from lib/ or dist/lib/). */
function packageRoot(from = __dirname): string {
	for (let dir = from; ; dir = path.dirname(dir)) {
		if (existsSync(path.join(dir, "package.json"))) return dir;
		if (path.dirname(dir) === dir) return from;
	}
}

export function dashboardDir(): string {
	return path.join(packageRoot(), "dist", "public", "dashboard");
}

/** Every built file by name, or null when the dashboard has not been built. */
export function loadDashboard(dir = dashboardDir()): Map<string, DashboardFile> | null {
	if (!existsSync(path.join(dir, "index.html"))) return null;
	const files = new Map<string, DashboardFile>();
	for (const name of readdirSync(dir)) {
		const contentType = TYPES[path.extname(name)];
		if (!contentType) continue;
		const body = readFileSync(path.join(dir, name));
		files.set(name, { body, gzipped: body.length > 1024 ? gzipSync(body) : null, contentType, immutable: /^chunk-[A-Z0-9]+\.js(\.map)?$/.test(name) });
	}
	return files;
}

/**
 * What the page may load: its own scripts, styles and API, and socket.io on the same
 * origin; no inline script, nothing from elsewhere (the dashboard works offline).
 */
export const DASHBOARD_CSP = [
	"default-src 'self'",
	"script-src 'self'",
	"style-src 'self'",
	"img-src 'self' data:",
	"connect-src 'self' ws: wss:",
	"base-uri 'none'",
	"form-action 'none'",
	"frame-ancestors 'none'"
].join("; ");
