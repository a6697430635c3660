/**
 * Prints the chaos suite's results (the JSON lines `npm run test:chaos` writes) as the
 * markdown table of bench/README.md.
 *   node bench/chaos/table.js [bench/chaos/results.jsonl]
 */
"use strict";
const { readFileSync } = require("node:fs");
const path = require("node:path");

const file = process.argv[2] ?? path.join(__dirname, "results.jsonl");
const rows = readFileSync(file, "utf8")
	.split("\n")
	.filter(Boolean)
	.map(line => JSON.parse(line));
const seconds = ms => (ms === null || ms === undefined ? "–" : `${(ms / 1000).toFixed(1)} s`);
const answers = (a, why = {}) =>
	Object.entries(a)
		.sort(([x], [y]) => Number(x) - Number(y))
		.map(([status, n]) => {
			if (status !== "0") return `${status} × ${n}`;
			const codes = Object.entries(why).map(([code, k]) => `${code} ${k}`);
			return `no connection × ${n}${codes.length ? ` (${codes.join(", ")})` : ""}`;
		})
		.join(", ");
const out = [
	"| experiment | runs accepted | lost | stuck | wrong | duplicates | undelivered events | steps run twice | recovery | what the recovery measures | answers clients got | slowest answer |",
	"|---|---|---|---|---|---|---|---|---|---|---|---|"
];
for (const r of rows) {
	out.push(
		`| ${r.experiment} | ${r.accepted} of ${r.asked} | ${r.lost} | ${r.stuck} | ${r.wrong} | ${r.duplicates} | ${r.undelivered} | ${r.rerun} | ${seconds(r.recoveryMs)} | ${r.recovery} | ${answers(r.answers, r.noConnection)} | ${seconds(r.slowestAnswerMs)} |`
	);
}
process.stdout.write(`${out.join("\n")}\n`);
