/** Bounds of an agent step, shared by its DSL schema and its runner. */

/** Most tools one agent step may offer (each definition goes to the model on every turn). */
export const MAX_AGENT_TOOLS = 32;
/** Most model turns an agent step may take. */
export const MAX_AGENT_TURNS = 50;
/** Turns an agent step takes at most when it does not say (`max_turns`). */
export const DEFAULT_AGENT_TURNS = 10;
/** Most tool calls one turn may ask for; the rest are answered with an error. */
export const MAX_CALLS_PER_TURN = 16;
/** Longest tool result sent back to the model (characters); longer ones are cut, saying so. */
export const MAX_RESULT_CHARS = 100_000;
