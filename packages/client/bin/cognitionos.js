#!/usr/bin/env node
"use strict";
require("../dist/cli/main.js")
	.main()
	.then(
		code => {
			process.exitCode = code;
		},
		err => {
			process.stderr.write(`cognitionos: ${err && err.stack ? err.stack : err}\n`);
			process.exitCode = 1;
		}
	);
