import type { Migration } from "../lib/db";

/** Every migration, in the order it runs. Append; never reorder or edit a released one. */
export const MIGRATIONS: Migration[] = [];
