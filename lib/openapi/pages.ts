/**
 * The two documentation pages. Their scripts and styles come from the npm packages
 * `swagger-ui-dist` and `redoc` through the gateway, never from a CDN: the docs work on a
 * machine with no internet.
 */
import path from "node:path";

export interface DocsAsset {
	file: string;
	contentType: string;
}

const swaggerDir = () => path.dirname(require.resolve("swagger-ui-dist/package.json"));
const redocDir = () => path.dirname(require.resolve("redoc/package.json"));

/** Files the pages load, by the name they are served under (`/docs/assets/<name>`). */
export function docsAssets(): Record<string, DocsAsset> {
	const js = "application/javascript; charset=utf-8";
	return {
		"swagger-ui.css": { file: path.join(swaggerDir(), "swagger-ui.css"), contentType: "text/css; charset=utf-8" },
		"swagger-ui-bundle.js": { file: path.join(swaggerDir(), "swagger-ui-bundle.js"), contentType: js },
		"swagger-ui-standalone-preset.js": { file: path.join(swaggerDir(), "swagger-ui-standalone-preset.js"), contentType: js },
		"favicon-32x32.png": { file: path.join(swaggerDir(), "favicon-32x32.png"), contentType: "image/png" },
		"redoc.standalone.js": { file: path.join(redocDir(), "bundles", "redoc.standalone.js"), contentType: js }
	};
}

const page = (title: string, head: string, body: string) => `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
${head}
</head>
<body>
${body}
</body>
</html>
`;

export function swaggerPage(specUrl: string, title: string): string {
	return page(
		`${title} — Swagger UI`,
		`<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<style>body { margin: 0; }</style>`,
		`<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script>
window.ui = SwaggerUIBundle({
	url: ${JSON.stringify(specUrl)},
	dom_id: "#swagger-ui",
	deepLinking: true,
	persistAuthorization: true,
	validatorUrl: null,
	presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
	layout: "StandaloneLayout"
});
</script>`
	);
}

export function redocPage(specUrl: string, title: string): string {
	return page(
		`${title} — ReDoc`,
		`<style>body { margin: 0; padding: 0; }</style>`,
		`<redoc spec-url="${specUrl}" hide-download-button="false" disable-google-font="true"></redoc>
<script src="/docs/assets/redoc.standalone.js"></script>`
	);
}
