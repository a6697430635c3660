/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The page callbacks passed to page.evaluate run in the browser: they use DOM types.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's Chromium (apt package `chromium`; .ci/run installs it). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Where browser tests leave their screenshots for a reviewer: test-results/ is gitignored. */
export const SCREENSHOT_DIR = path.resolve(__dirname, "../../test-results/dashboard");

export function chromiumAvailable(): boolean {
	return existsSync(CHROMIUM);
}

/** `describe` when Chromium is installed; under CI=true a missing Chromium fails instead of skipping. */
export function describeWithChromium(): jest.Describe {
	if (chromiumAvailable() || process.env.CI === "true") return describe;
	process.stderr.write(`\n[tests] ${CHROMIUM} is missing: the browser tests are skipped\n`);
	return describe.skip;
}

export function launchChromium(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
	});
}

export async function screenshot(page: Page, name: string): Promise<string> {
	mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const file = path.join(SCREENSHOT_DIR, `${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
	return file;
}

/**
 * Form controls and buttons a screen reader could not name: no label, no aria-label,
 * no aria-labelledby, no text. Returns a description of each.
 */
export function unnamedControls(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const named = (el: HTMLElement): boolean => {
			if (el.getAttribute("aria-label")?.trim()) return true;
			const by = el.getAttribute("aria-labelledby");
			if (by && by.split(/\s+/).some(id => document.getElementById(id)?.textContent?.trim())) return true;
			if ((el as HTMLInputElement).labels?.length && [...(el as HTMLInputElement).labels!].some(l => l.textContent?.trim())) return true;
			if (el.tagName === "BUTTON" || el.tagName === "A") return Boolean(el.textContent?.trim());
			return false;
		};
		return [...document.querySelectorAll<HTMLElement>("input, select, textarea, button, a[href]")]
			.filter(el => el.offsetParent !== null && (el as HTMLInputElement).type !== "hidden")
			.filter(el => !named(el))
			.map(el => el.outerHTML.slice(0, 120));
	});
}

/**
 * Text whose contrast with its background is below WCAG AA (4.5:1) among the elements
 * `selector` finds; the background is the nearest opaque one up the tree.
 */
export function lowContrast(page: Page, selector: string): Promise<string[]> {
	return page.evaluate(sel => {
		const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
		const lum = ([r, g, b]: number[]) => {
			const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
			return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
		};
		const background = (el: Element | null): number[] => {
			for (let e = el; e; e = e.parentElement) {
				const c = rgb(getComputedStyle(e).backgroundColor);
				if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c.slice(0, 3);
			}
			return [255, 255, 255];
		};
		const bad: string[] = [];
		for (const el of document.querySelectorAll(sel)) {
			if (!(el as HTMLElement).offsetParent || !el.textContent?.trim()) continue;
			const style = getComputedStyle(el);
			const fg = rgb(style.color).slice(0, 3);
			const bg = background(el);
			const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
			const ratio = (hi + 0.05) / (lo + 0.05);
			if (ratio < 4.5) bad.push(`${el.textContent.trim().slice(0, 30)}: ${ratio.toFixed(2)}`);
		}
		return bad;
	}, selector);
}

/** Fill colour of an SVG step node and its text colour, as contrast ratios for each status shown. */
export function graphNodeContrast(page: Page): Promise<{ status: string; ratio: number }[]> {
	return page.evaluate(() => {
		const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
		const lum = ([r, g, b]: number[]) => {
			const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
			return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
		};
		return [...document.querySelectorAll(".dag .node")].map(node => {
			const fill = rgb(getComputedStyle(node.querySelector("rect")!).fill);
			const text = rgb(getComputedStyle(node.querySelector(".node-name")!).fill);
			const [hi, lo] = [lum(fill), lum(text)].sort((a, b) => b - a);
			return { status: node.getAttribute("data-status") ?? "", ratio: (hi + 0.05) / (lo + 0.05) };
		});
	});
}
