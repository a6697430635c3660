import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
	{ ignores: ["dist/**", "packages/*/dist/**", "coverage/**", "node_modules/**", "data/**", "public/vendor/**", "bench/peers/**", "**/*.d.ts"] },
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		languageOptions: { globals: { ...globals.node } },
		rules: {
			"@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
			"@typescript-eslint/no-require-imports": "off",
			"no-eval": "error",
			"no-new-func": "error",
			"no-implied-eval": "error",
			eqeqeq: ["error", "always", { null: "ignore" }],
			"no-console": "error"
		}
	},
	{
		files: ["public/**/*.js", "public/dashboard/src/**/*.ts"],
		languageOptions: { globals: { ...globals.browser } },
		rules: { "no-console": "off" }
	},
	{
		files: ["public/dashboard/build.mjs"],
		languageOptions: { globals: { ...globals.node } }
	},
	{
		// Programs a user runs: they print.
		files: ["examples/**/*.mts", "packages/client/scripts/**/*.js"],
		rules: { "no-console": "off" }
	},
	{
		files: ["test/**/*.ts", "bench/**/*.ts", "bench/**/*.js", "jest.config.js"],
		languageOptions: { globals: { ...globals.jest } },
		rules: { "no-console": "off" }
	},
	{
		// Pure logic never reaches for the framework.
		files: ["lib/**/*.ts"],
		rules: { "no-restricted-imports": ["error", { patterns: ["moleculer", "moleculer-*", "../services/*", "../mixins/*"] }] }
	}
);
