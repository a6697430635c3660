import type { Migration } from "../lib/db";
import { usersAndCredentials } from "./0001-users-and-credentials";

/** Every migration, in the order it runs. Append; never reorder or edit a released one. */
export const MIGRATIONS: Migration[] = [usersAndCredentials];
